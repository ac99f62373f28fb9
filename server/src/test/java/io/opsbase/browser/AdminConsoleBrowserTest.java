package io.opsbase.browser;

import static org.assertj.core.api.Assertions.assertThat;

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
import io.opsbase.testing.TestUsers;

/**
 * The admin console in real Chromium: sign in, navigate, create a user and a token, check the
 * audit chain through htmx, and switch to Chinese. With {@code -Dscreenshots=true} it also writes
 * the screenshots in {@code docs/screenshots/}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestUsers.class)
class AdminConsoleBrowserTest {

    @LocalServerPort
    int port;

    @Autowired
    TestUsers testUsers;

    @Autowired
    UserService users;

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

    private void signIn(String username) {
        browser.driver.get(url("/login"));
        find("#username").sendKeys(username);
        find("#password").sendKeys(TestUsers.PASSWORD);
        find("#login-submit").click();
        browser.wait.until(ExpectedConditions.urlToBe(url("/")));
    }

    @Test
    void signsInAndRejectsAWrongPassword() {
        browser.driver.get(url("/"));
        browser.wait.until(ExpectedConditions.urlToBe(url("/login")));
        assertThat(find("h1").getText()).isEqualTo("Sign in to your account");
        browser.screenshot("login");

        find("#username").sendKeys(testUsers.createUser(Role.VIEWER));
        find("#password").sendKeys("not-the-password");
        find("#login-submit").click();
        assertThat(find("#login-error").getText()).isEqualTo("Wrong username or password.");
    }

    @Test
    void managesUsersTokensAndTheAuditLogAndSpeaksChinese() {
        String admin = Chromium.ensureUser(users, "zhang.min", "Zhang Min", Role.ADMIN);
        Chromium.ensureUser(users, "li.wei", "Li Wei", Role.OPERATOR);
        Chromium.ensureUser(users, "maria.k", "Maria Kowalski", Role.AUDITOR);
        signIn(admin);
        assertThat(find(".welcome h2").getText()).startsWith("Welcome, ");
        assertThat(find(".page-title").getText()).isEqualTo("Overview");

        // Users: through the navigation, create one with the form.
        find("a.nav-item[href='/admin/users']").click();
        browser.wait.until(ExpectedConditions.urlToBe(url("/admin/users")));
        find("#create-user summary").click();
        String name = "ops-" + Long.toHexString(System.nanoTime());
        find("#new-username").sendKeys(name);
        find("#new-display-name").sendKeys("Night Shift");
        find("#new-password").sendKeys("a-long-enough-password");
        new Select(find("#new-role")).selectByValue("operator");
        find("#create-user-submit").click();
        assertThat(find("#notice").getText()).isEqualTo("User " + name + " created.");
        assertThat(find("tr[data-username='" + name + "']").getText()).contains("Night Shift");
        browser.screenshot("users");

        // Tokens: through the user menu; the secret is shown once.
        find(".user-menu summary").click();
        find(".user-menu a[href='/tokens']").click();
        browser.wait.until(ExpectedConditions.urlToBe(url("/tokens")));
        find("#token-name").sendKeys("backup script");
        new Select(find("#token-lifetime")).selectByValue("30");
        find("#create-token-submit").click();
        assertThat(find("#token-secret").getText()).startsWith("obt_");
        assertThat(find("tr[data-token-name='backup script']").getText()).contains("Active");
        browser.screenshot("tokens");

        // Audit: the token shows up, and the chain verifies through htmx without leaving the page.
        find("a.nav-item[href='/audit']").click();
        browser.wait.until(ExpectedConditions.urlToBe(url("/audit")));
        assertThat(find("#audit-table").getText()).contains("token.created").contains("user.created");
        find("#verify-chain").click();
        assertThat(find("#verify-result").getText()).startsWith("Chain intact.");
        assertThat(browser.driver.getCurrentUrl()).isEqualTo(url("/audit"));
        browser.screenshot("audit");

        // Language: the switch in the user menu turns the whole UI Chinese, and it sticks.
        find(".user-menu summary").click();
        find(".user-menu a[lang='zh-CN']").click();
        browser.wait.until(ExpectedConditions.textToBe(By.cssSelector(".page-title"), "审计日志"));
        assertThat(find("a.nav-item[href='/']").getText()).isEqualTo("概览");
        find("a.nav-item[href='/']").click();
        browser.wait.until(ExpectedConditions.textToBe(By.cssSelector(".page-title"), "概览"));
        assertThat(find(".welcome h2").getText()).startsWith("欢迎");
        browser.screenshot("home-zh");

        find(".user-menu summary").click();
        find(".user-menu a[lang='en']").click();
        browser.wait.until(ExpectedConditions.textToBe(By.cssSelector(".page-title"), "Overview"));
        browser.screenshot("home");
    }
}
