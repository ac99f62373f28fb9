package io.opsbase.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
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
import io.opsbase.cmdb.ChangeContext;
import io.opsbase.cmdb.CiService;
import io.opsbase.cmdb.ConfigurationItem;
import io.opsbase.cmdb.CreateCi;
import io.opsbase.testing.TestUsers;

/**
 * The CMDB in real Chromium: search the list live (htmx), create a CI through the form (first
 * with an invalid value, shown inline), move it through its lifecycle with a reason, and read
 * that in its history. With {@code -Dscreenshots=true} it writes the CMDB screenshots.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestUsers.class)
class CmdbBrowserTest {

    private static final ChangeContext SEED = new ChangeContext("system", "system", null);

    @LocalServerPort
    int port;

    @Autowired
    UserService users;

    @Autowired
    CiService cis;

    Chromium browser;

    @BeforeEach
    void openBrowser() {
        browser = Chromium.start("en-US,en");
    }

    @AfterEach
    void closeBrowser() {
        browser.close();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    private WebElement find(String css) {
        return browser.wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
    }

    private ConfigurationItem seed(String className, String name, Map<String, Object> attributes, String owner,
            List<String> tags, String... path) {
        ConfigurationItem ci = cis.create(new CreateCi(className, name, attributes, owner, tags, null), SEED);
        for (String state : path) {
            ci = cis.transition(ci.id(), state, null, SEED);
        }
        return ci;
    }

    /** A small estate, so the list and the screenshots show something real. */
    private ConfigurationItem seedEstate() {
        var dc = seed("Datacenter", "Frankfurt DC1", Map.of("code", "FRA1", "city", "Frankfurt", "country", "DE",
                "tier", "III"), "facilities", List.of("eu"), "in_stock", "deployed", "in_use");
        var rack = seed("Rack", "FRA1-R01", Map.of("datacenter", dc.id(), "row", "A", "height_u", 42), "facilities",
                List.of("eu"), "in_stock", "deployed", "in_use");
        String[][] servers = {
                {"web-01", "10.0.1.11", "DL380-7Q1", "Dell", "PowerEdge R650"},
                {"web-02", "10.0.1.12", "DL380-7Q2", "Dell", "PowerEdge R650"},
                {"db-01", "10.0.2.21", "HPE-5CG2", "HPE", "ProLiant DL380 Gen10"},
                {"db-02", "10.0.2.22", "HPE-5CG3", "HPE", "ProLiant DL380 Gen10"},
                {"cache-01", "10.0.3.31", "LEN-J30A", "Lenovo", "ThinkSystem SR630"}};
        for (String[] s : servers) {
            Map<String, Object> attributes = new LinkedHashMap<>();
            attributes.put("hostname", s[0] + ".fra1.example.net");
            attributes.put("ip_address", s[1]);
            attributes.put("serial_number", s[2]);
            attributes.put("manufacturer", s[3]);
            attributes.put("model", s[4]);
            attributes.put("cpu_count", 32);
            attributes.put("memory_gb", 256);
            attributes.put("rack", rack.id());
            attributes.put("os", "Debian GNU/Linux");
            attributes.put("os_version", "12");
            seed("Server", s[0], attributes, s[0].startsWith("db") ? "data" : "web-platform",
                    List.of("prod", s[0].startsWith("db") ? "postgres" : "nginx"), "in_stock", "deployed", "in_use");
        }
        seed("Server", "spare-01", Map.of("serial_number", "LEN-J30B", "manufacturer", "Lenovo"), "facilities",
                List.of("spare"));
        return rack;
    }

    @Test
    void createsACiTransitionsItAndReadsItsHistory() {
        ConfigurationItem rack = seedEstate();
        Chromium.ensureUser(users, "zhang.min", "Zhang Min", Role.ADMIN);
        browser.driver.get(url("/login"));
        find("#username").sendKeys("zhang.min");
        find("#password").sendKeys(TestUsers.PASSWORD);
        find("#login-submit").click();
        browser.wait.until(ExpectedConditions.urlToBe(url("/")));

        // The list, searched live through htmx.
        find("a.nav-item[href='/cmdb/cis']").click();
        browser.wait.until(ExpectedConditions.urlToBe(url("/cmdb/cis")));
        assertThat(find("#ci-table").getText()).contains("web-01").contains("db-02").contains("spare-01");
        browser.screenshot("cmdb-cis");
        find("#ci-q").sendKeys("10.0.2.");
        browser.wait.until(ExpectedConditions.textToBe(By.cssSelector("#ci-count"), "2 items"));
        assertThat(find("#ci-table").getText()).contains("db-01").contains("db-02").doesNotContain("web-01");

        // A new CI: pick the class (the form reloads), submit a bad IP, see it inline, fix it.
        find("#new-ci").click();
        new Select(find("#ci-class")).selectByValue("Server");
        find("#ci-name-input").sendKeys("app-07");
        find("input[name='ownerTeam']").sendKeys("payments");
        find("input[name='tags']").sendKeys("prod java");
        find("#attr-ip_address").sendKeys("10.0.4.300");
        find("#attr-serial_number").sendKeys("DL380-8X4");
        new Select(find("#attr-rack")).selectByVisibleText("FRA1-R01 (#" + rack.id() + ")");
        find("#ci-submit").click();
        assertThat(find("#form-errors").getText()).contains("(1)");
        WebElement ipField = find("#attr-ip_address").findElement(By.xpath(".."));
        assertThat(ipField.getText()).contains("must be an IPv4 or IPv6 address");
        browser.screenshot("cmdb-ci-form");
        find("#attr-ip_address").clear();
        find("#attr-ip_address").sendKeys("10.0.4.30");
        find("#ci-submit").click();
        assertThat(find("#notice").getText()).isEqualTo("app-07 created.");
        assertThat(find("#ci-state").getText()).isEqualTo("Planned");
        assertThat(find("dd[data-attribute='rack'] a").getText()).isEqualTo("FRA1-R01");

        // Through the lifecycle, with a reason that the history keeps.
        find("#transition-reason").sendKeys("received from vendor");
        find("button[data-transition='in_stock']").click();
        browser.wait.until(ExpectedConditions.textToBe(By.cssSelector("#ci-state"), "In stock"));
        find("button[data-transition='deployed']").click();
        browser.wait.until(ExpectedConditions.textToBe(By.cssSelector("#ci-state"), "Deployed"));
        find("#transition-reason").sendKeys("racked in FRA1-R01, unit 12");
        find("button[data-transition='in_use']").click();
        browser.wait.until(ExpectedConditions.textToBe(By.cssSelector("#ci-state"), "In use"));

        String history = find("#ci-history").getText();
        assertThat(history).contains("State changed").contains("deployed → in_use")
                .contains("“racked in FRA1-R01, unit 12”").contains("“received from vendor”").contains("Created");
        assertThat(browser.driver.findElements(By.cssSelector("#ci-history > li"))).hasSize(4);
        browser.screenshot("cmdb-ci-detail");

        find("a.nav-item[href='/cmdb/classes']").click();
        assertThat(find("#class-list").getText()).contains("Server").contains("Business service");
        browser.screenshot("cmdb-classes");
    }
}
