package io.opsbase.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;

import io.opsbase.agents.EnrollmentTokenService;
import io.opsbase.auth.Role;
import io.opsbase.auth.UserService;
import io.opsbase.protocol.inventory.Inventory;
import io.opsbase.testing.MutableClock;
import io.opsbase.testing.TestUsers;

/**
 * Discovery in real Chromium: an admin creates an enrollment token in the UI, a host enrolls with
 * it through the real signed agent protocol and waits in the queue; the admin reads the
 * side-by-side diff (of a conflict too), approves the host into a class and state, opens its
 * detail, filters the hosts list by status, and pings an agent. With {@code -Dscreenshots=true} it
 * writes the hosts, discovery and agents screenshots.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"opsbase.discovery.stale-after=1h", "opsbase.discovery.review-every=1d"})
@Import({TestUsers.class, HostsBrowserTest.Clocks.class})
class HostsBrowserTest {

    /** A clock the test moves, so some hosts of the estate have gone quiet (stale) without waiting. */
    @TestConfiguration(proxyBeanMethods = false)
    static class Clocks {

        @Bean
        @Primary
        MutableClock browserTestClock() {
            return new MutableClock(Instant.now());
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    UserService users;

    @Autowired
    EnrollmentTokenService enrollmentTokens;

    @Autowired
    MutableClock clock;

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

    private SignedAgent report(String token, Inventory host) throws Exception {
        SignedAgent agent = SignedAgent.enroll(port, token, host, "1.0.0", clock);
        agent.report(host, clock);
        return agent;
    }

    @Test
    void approvesAHostEnrolledWithATokenFromTheUiAndReadsItsDetail() throws Exception {
        // An estate enrolled with an auto-approving token; two of its hosts went quiet two hours ago.
        String rollout = enrollmentTokens.issue(20, null, true, "FRA1 rollout", "zhang.min").token();
        report(rollout, InventoryFixtures.server("db-01", "Dell Inc.", "PowerEdge R650", "Debian GNU/Linux", "12", 8));
        report(rollout, InventoryFixtures.server("backup-01", "HPE", "ProLiant DL380 Gen10", "Debian GNU/Linux", "11", 4));
        clock.advance(Duration.ofHours(2));
        Inventory web01 = InventoryFixtures.server("web-01", "Dell Inc.", "PowerEdge R650", "Ubuntu", "24.04", 4);
        report(rollout, web01);
        report(rollout, InventoryFixtures.server("web-02", "Dell Inc.", "PowerEdge R650", "Ubuntu", "24.04", 4));
        report(rollout, InventoryFixtures.server("cache-01", "Lenovo", "ThinkSystem SR630", "Debian GNU/Linux", "12", 2));
        // A rebuilt machine whose firmware serial is web-01's: quarantined as a conflict.
        report(rollout, InventoryFixtures.clone(web01, "web-01-rebuild"));

        Chromium.ensureUser(users, "zhang.min", "Zhang Min", Role.ADMIN);
        browser.driver.get(url("/login"));
        find("#username").sendKeys("zhang.min");
        find("#password").sendKeys(TestUsers.PASSWORD);
        find("#login-submit").click();
        browser.wait.until(ExpectedConditions.urlToBe(url("/")));

        // An enrollment token made in the UI, shown once with the install command.
        find("a.nav-item[href='/admin/enrollment-tokens']").click();
        find("#enroll-uses").clear();
        find("#enroll-uses").sendKeys("5");
        new Select(find("#enroll-expires")).selectByValue("P7D");
        find("#enroll-description").sendKeys("FRA1 rack R07");
        find("#create-enrollment-token-submit").click();
        String token = find("#enrollment-token").getText();
        assertThat(token).startsWith("oet_");
        assertThat(find("#install-command").getText()).isEqualTo("curl -fsSL " + url("") + "/install/agent.sh | sudo sh -s -- --server "
                + url("") + " --enroll-token " + token);
        assertThat(find("#enrollment-token-table").getText()).contains("FRA1 rack R07").contains("5 / 5").contains("FRA1 rollout");
        browser.screenshot("enrollment-tokens");

        // A new host enrolls with it and reports its inventory: it waits in the queue.
        Inventory app07 = InventoryFixtures.server("app-07", "Lenovo", "ThinkSystem SR650 V3", "Debian GNU/Linux", "12", 6);
        SignedAgent appAgent = report(token, app07);
        find("a.nav-item[href='/hosts/queue']").click();
        String queue = find("#queue-table").getText();
        assertThat(queue).contains("app-07").contains("New host").contains("web-01-rebuild").contains("Conflict");
        browser.screenshot("discovery-queue");

        // The conflict's side-by-side diff: the same serial, a different hostname and UUID.
        find("tr[data-host='web-01-rebuild'] a.strong-link").click();
        find("#diff-table");
        assertThat(find("#diff-table tr[data-field='serial_number']").getAttribute("data-state")).isEqualTo("same");
        assertThat(find("#diff-table tr[data-field='hostname']").getAttribute("data-state")).isEqualTo("differs");
        assertThat(find("#diff-table tr[data-field='hostname'] td.diff-in").getText()).isEqualTo("web-01-rebuild");
        assertThat(find("#diff-table tr[data-field='hostname'] td.diff-ci").getText()).isEqualTo("web-01");
        assertThat(find("#case-candidates").getText()).contains("serial+manufacturer");
        browser.screenshot("discovery-conflict");
        find("#diff-only-changes").click();
        browser.wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("#diff-table tr[data-field='serial_number']")));

        // The new host's case: every reported value is incoming; approve it into Server / in use.
        browser.driver.get(url("/hosts/queue"));
        find("tr[data-host='app-07'] a.strong-link").click();
        assertThat(find("#diff-table tr[data-field='serial_number']").getAttribute("data-state")).isEqualTo("incoming");
        assertThat(find("#diff-table tr[data-field='serial_number'] td.diff-in").getText()).isEqualTo(app07.system().serial());
        new Select(find("#approve-class")).selectByValue("Server");
        // Several classes have an in_use state; hosts.js leaves only Server's selectable.
        find("#approve-state option[data-class='Server'][value='in_use']").click();
        find("#approve-form input[name='reason']").sendKeys("racked in FRA1-R07");
        find("#approve-submit").click();
        browser.wait.until(ExpectedConditions.urlMatches(".*/hosts/\\d+$"));
        assertThat(find("#notice").getText()).isEqualTo("app-07 approved.");
        assertThat(find("#host-name").getText()).isEqualTo("app-07");
        assertThat(find("#inv-serial").getText()).isEqualTo(app07.system().serial());
        assertThat(find("#agent-id").getText()).isEqualTo("#" + appAgent.id());
        assertThat(find("#host-ci-link").getText()).contains("app-07");
        assertThat(find("#host-status").getText()).isEqualTo("Online");
        browser.screenshot("host-detail");

        // The hosts list: status badges, then only the stale ones through the htmx filter.
        find("a.nav-item[href='/hosts']").click();
        assertThat(find("#host-table").getText()).contains("app-07").contains("db-01").contains("cache-01");
        browser.screenshot("hosts");
        new Select(find("#host-status-filter")).selectByValue("stale");
        browser.wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("tr[data-host='app-07']")));
        List<String> stale = browser.driver.findElements(By.cssSelector("#host-table tbody tr")).stream()
                .map(r -> r.getAttribute("data-host")).toList();
        assertThat(stale).containsExactlyInAnyOrder("db-01", "backup-01");

        // Agents: ping app-07's agent; the panel polls until the agent has answered.
        find("a.nav-item[href='/agents']").click();
        find("button[data-ping='" + appAgent.id() + "']").click();
        find("#ping-result");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> appAgent.answerPings() > 0);
        browser.wait.until(ExpectedConditions.textMatches(By.cssSelector("#ping-state"), java.util.regex.Pattern.compile("answered “pong” in \\d+ ms")));
        assertThat(find("tr[data-agent='" + appAgent.id() + "']").getText()).contains("app-07").contains("1.0.0");
        browser.screenshot("agents");

        // The same list in Chinese (no screenshot: this machine's Chromium has no CJK font).
        browser.driver.get(url("/hosts?lang=zh-CN"));
        assertThat(find(".page-title").getText()).isEqualTo("主机");
        assertThat(find("tr[data-host='db-01']").getText()).contains("失联");
    }
}
