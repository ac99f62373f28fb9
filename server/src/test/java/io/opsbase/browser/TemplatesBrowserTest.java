package io.opsbase.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import io.opsbase.auth.Role;
import io.opsbase.auth.UserService;
import io.opsbase.testing.ApiClient;
import io.opsbase.testing.TestUsers;

import tools.jackson.databind.JsonNode;

/**
 * The templates editor in real Chromium: a child of the built-in Linux template made in the form,
 * an item row added with htmx (and a blank one removed), a refused interval shown beside its field,
 * then saved; and a host's macro override on its monitoring page. With {@code -Dscreenshots=true}
 * it writes the screenshots of the editor and the host page.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "opsbase.monitoring.evaluate-every=1h")
@Import(TestUsers.class)
class TemplatesBrowserTest {

    @LocalServerPort
    int port;

    @Autowired
    UserService users;

    @Autowired
    TestUsers testUsers;

    Chromium browser;

    @BeforeEach
    void openBrowserAndSignIn() {
        browser = Chromium.start("en-US,en");
        Chromium.ensureUser(users, "li.wei", "Li Wei", Role.ADMIN);
        browser.driver.get(url("/login"));
        find("#username").sendKeys("li.wei");
        find("#password").sendKeys(TestUsers.PASSWORD);
        find("#login-submit").click();
        browser.wait.until(ExpectedConditions.urlToBe(url("/")));
    }

    @AfterEach
    void closeBrowser() {
        browser.close();
    }

    @Test
    void aTemplateWithAPluginItemIsMadeInTheFormAndAHostOverridesItsMacro() {
        var admin = ApiClient.at(port).withBearer(testUsers.tokenFor(Role.ADMIN));
        long ci = admin.post("/api/v1/cis", Map.of("class", "Server", "name", "db-01")).json().get("id").asLong();

        browser.driver.get(url("/monitoring/templates"));
        find("#new-template").click();
        browser.wait.until(ExpectedConditions.urlToBe(url("/monitoring/templates/new")));
        find("#template-name").sendKeys("Linux database servers");
        new Select(find("#template-parentId")).selectByVisibleText("Linux host");
        find("#template-description").sendKeys("Load and process checks through the monitoring plugins");
        find("#template-binding input[value='Server']").click();
        find("#template-bindAttributes").sendKeys("role=db");
        find("#template-hosts").sendKeys(Long.toString(ci));

        WebElement first = rows().getFirst();
        first.findElement(By.cssSelector("input[name$='.key']")).sendKeys("load");
        new Select(first.findElement(By.cssSelector("select[name$='.type']"))).selectByValue("check");
        first.findElement(By.cssSelector("input[name$='.target']")).sendKeys("/usr/lib/nagios/plugins/check_load");
        first.findElement(By.cssSelector("input[name$='.arguments']")).sendKeys("-w {$LOAD_WARN} -c {$LOAD_CRIT}");

        find("#add-item").click();
        browser.wait.until(d -> rows().size() == 2);
        WebElement second = rows().get(1);
        second.findElement(By.cssSelector("input[name$='.key']")).sendKeys("procs");
        new Select(second.findElement(By.cssSelector("select[name$='.type']"))).selectByValue("check");
        second.findElement(By.cssSelector("input[name$='.target']")).sendKeys("/usr/lib/nagios/plugins/check_procs");
        second.findElement(By.cssSelector("input[name$='.arguments']")).sendKeys("-w 400 -c 600");
        WebElement interval = second.findElement(By.cssSelector("input[name$='.interval']"));
        interval.clear();
        interval.sendKeys("2s");
        find("#add-item").click();
        browser.wait.until(d -> rows().size() == 3);
        rows().get(2).findElement(By.cssSelector(".remove-row")).click();
        browser.wait.until(d -> rows().size() == 2);

        find("#add-macro").click();
        addMacro("{$LOAD_WARN}", "4,3,2");
        find("#add-macro").click();
        browser.wait.until(d -> macroRows().size() == 2);
        WebElement crit = macroRows().get(1);
        crit.findElement(By.cssSelector("input[name$='.name']")).sendKeys("{$LOAD_CRIT}");
        crit.findElement(By.cssSelector("input[name$='.value']")).sendKeys("8,6,4");
        find("#template-save").click();

        WebElement error = find("#item-rows .field.invalid .field-error");
        assertThat(error.getText()).contains("between 5s and 1d");
        WebElement fixed = rows().get(1).findElement(By.cssSelector("input[name$='.interval']"));
        fixed.clear();
        fixed.sendKeys("1m");
        browser.driver.executeScript("document.getElementById('template-items').scrollIntoView()");
        browser.screenshot("monitoring-template-editor");
        find("#template-save").click();
        browser.wait.until(ExpectedConditions.urlMatches(".*/monitoring/templates/\\d+$"));
        assertThat(find("#notice").getText()).contains("Linux database servers");

        long id = Long.parseLong(browser.driver.getCurrentUrl().replaceAll(".*/", ""));
        JsonNode saved = admin.get("/api/v1/templates/" + id).json();
        assertThat(saved.get("items")).extracting(i -> i.get("key").asString()).containsExactlyInAnyOrder("load", "procs");
        assertThat(saved.get("parentId").isNull()).isFalse();
        JsonNode monitoring = admin.get("/api/v1/cis/" + ci + "/monitoring").json();
        assertThat(monitoring.get("templates")).extracting(JsonNode::asString).contains("Linux host", "Linux database servers");

        browser.driver.get(url("/monitoring/hosts/" + ci));
        find("#add-macro").click();
        browser.wait.until(d -> macroRows().size() == 1);
        addMacro("{$LOAD_CRIT}", "12,10,8");
        find("#host-macros-save").click();
        browser.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#host-items"), "-c 12,10,8"));
        assertThat(find("#host-items").getText()).contains("check_load -w 4,3,2 -c 12,10,8");
        browser.driver.executeScript("document.getElementById('host-triggers').scrollIntoView()");
        browser.screenshot("monitoring-host-macros");
    }

    private void addMacro(String name, String value) {
        browser.wait.until(d -> !macroRows().isEmpty());
        WebElement row = macroRows().getLast();
        row.findElement(By.cssSelector("input[name$='.name']")).sendKeys(name);
        row.findElement(By.cssSelector("input[name$='.value']")).sendKeys(value);
    }

    private List<WebElement> rows() {
        return browser.driver.findElements(By.cssSelector("#item-rows tr.item-row"));
    }

    private List<WebElement> macroRows() {
        return browser.driver.findElements(By.cssSelector("#macro-rows tr.macro-row"));
    }

    private String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    private WebElement find(String css) {
        return browser.wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
    }
}
