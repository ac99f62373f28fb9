package io.opsbase.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import io.opsbase.auth.Role;
import io.opsbase.auth.UserService;
import io.opsbase.monitoring.internal.AlertEvaluator;
import io.opsbase.monitoring.internal.IngestQueue;
import io.opsbase.protocol.MetricSample;
import io.opsbase.testing.ApiClient;
import io.opsbase.testing.TestUsers;

/**
 * Monitoring in real Chromium: a dashboard composed in the form and drawn by ECharts from an hour
 * of samples (with one short CPU spike the graph must still show), the alerts page with the
 * alert that spike raised, and the rules page. With {@code -Dscreenshots=true} it writes the
 * screenshots of these pages.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "opsbase.monitoring.evaluate-every=1h")
@Import(TestUsers.class)
class MonitoringBrowserTest {

    @LocalServerPort
    int port;

    @Autowired
    UserService users;

    @Autowired
    TestUsers testUsers;

    @Autowired
    IngestQueue ingest;

    @Autowired
    AlertEvaluator evaluator;

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
    void aComposedDashboardDrawsItsGraphsWithThePeakAndTheAlertShows() throws Exception {
        var admin = ApiClient.at(port).withBearer(testUsers.tokenFor(Role.ADMIN));
        long ci = admin.post("/api/v1/cis", Map.of("class", "Server", "name", "web-01")).json().get("id").asLong();
        feedAnHour(ci);
        admin.post("/api/v1/alert-rules", Map.of("name", "CPU high", "metric", "cpu_used_percent", "labels", Map.of("cpu", "total"),
                "function", "max", "window", "5m", "operator", ">", "threshold", 90, "severity", "high"));
        evaluator.evaluate();

        browser.driver.get(url("/dashboards"));
        find("#dashboard-name").sendKeys("web-01 overview");
        find("#dashboard-panels").sendKeys(String.join("\n",
                "CPU used | cpu_used_percent{ci=\"" + ci + "\",cpu=\"total\"} | %",
                "Memory used | memory_used_percent{ci=\"" + ci + "\"} | %",
                "Load (1 min) | system_load1{ci=\"" + ci + "\"} |",
                "Network received | network_receive_bytes_per_second{ci=\"" + ci + "\",interface=\"eth0\"} | B/s"));
        find("#dashboard-shared").click();
        find("#dashboard-form button[type=submit]").click();
        browser.wait.until(ExpectedConditions.urlMatches(".*/dashboards/\\d+$"));
        find("#dashboard-graphs [data-range='1h']").click();

        List<WebElement> figures = browser.driver.findElements(By.cssSelector("#dashboard-graphs figure.graph"));
        assertThat(figures).hasSize(4);
        for (WebElement f : figures) {
            browser.wait.until(d -> f.getAttribute("data-points") != null && !f.getAttribute("data-points").equals("0"));
        }
        Object cpuMax = browser.driver.executeScript("""
                var option = echarts.getInstanceByDom(arguments[0].querySelector('.graph-canvas')).getOption();
                var line = option.series[option.series.length - 1].data;
                return Math.max.apply(null, line.map(function (p) { return p[1]; }));""", figures.get(0));
        assertThat(((Number) cpuMax).doubleValue()).as("the 10-second spike survives the 1-hour graph").isEqualTo(97.0);
        browser.screenshot("monitoring-dashboard");

        browser.driver.get(url("/alerts"));
        assertThat(find("#alert-table").getText()).contains("CPU high").contains("#" + ci);
        browser.screenshot("monitoring-alerts");

        browser.driver.get(url("/monitoring/rules"));
        assertThat(find("#rule-table").getText()).contains("max(cpu_used_percent{cpu=\"total\"}[5m]) > 90").contains("Host down");
        browser.screenshot("monitoring-rules");
    }

    /** An hour of 10-second samples ending now, shaped like a web server's day, with one spike two minutes ago. */
    private void feedAnHour(long ci) throws Exception {
        Random random = new Random(7);
        Instant now = Instant.now();
        List<MetricSample> samples = new ArrayList<>();
        for (int i = 360; i >= 0; i--) {
            Instant t = now.minusSeconds(10L * i);
            double wave = Math.sin(i / 40.0);
            double cpu = i == 12 ? 97.0 : 35 + 12 * wave + random.nextGaussian() * 3;
            samples.add(new MetricSample("cpu_used_percent", Map.of("cpu", "total"), t, cpu));
            samples.add(new MetricSample("memory_used_percent", Map.of(), t, 61 + 0.01 * (360 - i) + random.nextGaussian() * 0.3));
            samples.add(new MetricSample("system_load1", Map.of(), t, Math.max(0, 1.4 + 0.6 * wave + random.nextGaussian() * 0.2)));
            samples.add(new MetricSample("network_receive_bytes_per_second", Map.of("interface", "eth0"), t,
                    Math.max(0, 2.5e6 + 1.2e6 * wave + random.nextGaussian() * 2e5)));
        }
        ingest.offer(ci, samples).orElseThrow().get();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    private WebElement find(String css) {
        return browser.wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
    }
}
