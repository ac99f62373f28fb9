package io.opsbase.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import io.opsbase.auth.Role;
import io.opsbase.auth.UserService;
import io.opsbase.cmdb.ChangeContext;
import io.opsbase.cmdb.CiSearch;
import io.opsbase.cmdb.CiService;
import io.opsbase.cmdb.CiQuery;
import io.opsbase.cmdb.CreateCi;
import io.opsbase.cmdb.ImpactDirection;
import io.opsbase.cmdb.ImpactService;
import io.opsbase.cmdb.RelationService;
import io.opsbase.testing.TestUsers;

/**
 * The CMDB graph pages in real Chromium on the demo estate: a CI's relations and its impact graph
 * drawn by ECharts (node count read from the chart itself), adding a relation through the
 * search-as-you-type picker, the impact page with its controls and a click on a node, a graph of
 * a few hundred nodes, and a CSV import from dry run to commit. With {@code -Dscreenshots=true}
 * it writes the screenshots of these pages.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "opsbase.demo=true")
@Import(TestUsers.class)
class CmdbGraphBrowserTest {

    private static final ChangeContext SEED = new ChangeContext("system", "system", null);

    @LocalServerPort
    int port;

    @Autowired
    UserService users;

    @Autowired
    CiService cis;

    @Autowired
    CiSearch search;

    @Autowired
    RelationService relations;

    @Autowired
    ImpactService impact;

    Chromium browser;

    @BeforeEach
    void openBrowserAndSignIn() {
        browser = Chromium.start("en-US,en");
        Chromium.ensureUser(users, "zhang.min", "Zhang Min", Role.ADMIN);
        browser.driver.get(url("/login"));
        find("#username").sendKeys("zhang.min");
        find("#password").sendKeys(TestUsers.PASSWORD);
        find("#login-submit").click();
        browser.wait.until(ExpectedConditions.urlToBe(url("/")));
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

    private long id(String name) {
        return search.search(new CiQuery(null, null, List.of(), null, name, List.of(), "name", 50, null, false))
                .items().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow().id();
    }

    /** Waits until the chart in {@code css} has drawn its data; answers the number of nodes ECharts holds. */
    private long chartNodes(String css) {
        WebElement chart = find(css);
        browser.wait.until(ExpectedConditions.attributeToBeNotEmpty(chart, "data-nodes"));
        assertThat(chart.findElement(By.tagName("canvas")).isDisplayed()).isTrue();
        return (Long) browser.driver.executeScript(
                "return echarts.getInstanceByDom(arguments[0]).getOption().series[0].data.length", chart);
    }

    /** Waits until the force layout in {@code css} holds still (two looks half a second apart agree), for screenshots. */
    private void waitUntilSettled(String css) {
        WebElement chart = find(css);
        java.util.concurrent.atomic.AtomicReference<Object> last = new java.util.concurrent.atomic.AtomicReference<>();
        browser.wait.until(driver -> {
            Object now = browser.driver.executeScript("""
                    var data = echarts.getInstanceByDom(arguments[0]).getModel().getSeriesByIndex(0).getData();
                    var sum = 0;
                    for (var i = 0; i < data.count(); i++) {
                      var p = data.getItemLayout(i);
                      sum += Math.round(p[0]) * 7 + Math.round(p[1]);
                    }
                    return sum;""", chart);
            return now.equals(last.getAndSet(now));
        });
    }

    @Test
    void showsRelationsAndTheImpactGraphAndAddsARelation() {
        long api = id("checkout-api");
        browser.driver.get(url("/cmdb/cis/" + api));
        assertThat(find("[data-relation-group='outgoing:depends_on']").getText())
                .contains("payments").contains("orders-db").contains("session-cache");
        assertThat(find("[data-relation-group='outgoing:runs_on']").getText()).contains("api-01");
        assertThat(find("[data-relation-group='incoming:depends_on']").getText()).contains("storefront").contains("Online Shop");
        int expected = 1 + impact.analyse(api, ImpactDirection.DOWNSTREAM, ImpactService.DEFAULT_DEPTH).nodes().size();
        assertThat(chartNodes("#impact [data-impact-graph]")).isEqualTo(expected).isGreaterThan(2);
        assertThat(find("#impact-services").getText()).contains("Online Shop");
        waitUntilSettled("#impact [data-impact-graph]");
        browser.screenshot("cmdb-ci-relations");

        // Add "reporting runs on fra1-app02" from the server's page: first without a target, then picked by search.
        long app02 = id("fra1-app02");
        browser.driver.get(url("/cmdb/cis/" + app02));
        find("#add-relation").click();
        new Select(find("#relation-kind")).selectByValue("incoming:runs_on");
        find("#relation-submit").click();
        assertThat(find("#relation-target-error").getText()).isEqualTo("Choose the other item.");
        find("#relation-query").sendKeys("report");
        find("label[data-candidate='reporting']").click();
        find("#relation-submit").click();
        assertThat(find("#notice").getText()).isEqualTo("Relation to reporting added.");
        assertThat(find("[data-relation-group='incoming:runs_on']").getText()).contains("reporting");
        assertThat(find("#ci-history li[data-field='relation.runs_on<-" + id("reporting") + "']").getText())
                .isEqualTo("relation added runs reporting");
        assertThat(relations.relationsOf(id("reporting"))).anyMatch(r -> r.targetId() == app02);
    }

    @Test
    void drawsTheImpactPageAndOpensACiFromTheGraph() {
        long switchId = id("fra1-core-sw01");
        browser.driver.get(url("/cmdb/cis/" + switchId + "/impact?direction=downstream&depth=6"));
        int expected = 1 + impact.analyse(switchId, ImpactDirection.DOWNSTREAM, 6).nodes().size();
        assertThat(chartNodes("[data-impact-graph]")).isEqualTo(expected);
        assertThat(find("#impact-services").getText()).contains("Online Shop").contains("Payments").contains("Customer Login");
        waitUntilSettled("[data-impact-graph]");
        browser.screenshot("cmdb-impact");

        // Upstream: the switch needs its rack, the data centre and the firewall.
        find("#impact-controls .segmented label:nth-of-type(2)").click();
        browser.wait.until(ExpectedConditions.urlContains("direction=upstream"));
        assertThat(chartNodes("[data-impact-graph]")).isEqualTo(
                1 + impact.analyse(switchId, ImpactDirection.UPSTREAM, 6).nodes().size());
        assertThat(find("#impact-by-class").getText()).contains("Rack").contains("Data centre");

        // A click on a node opens that CI (the layout may still be settling: aim again until it lands).
        long rack = id("fra1-r01");
        WebElement chart = find("[data-impact-graph]");
        browser.driver.executeScript("arguments[0].scrollIntoView({block: 'center'})", chart);
        browser.wait.until(driver -> {
            if (driver.getCurrentUrl().endsWith("/cmdb/cis/" + rack)) {
                return true;
            }
            @SuppressWarnings("unchecked")
            List<Number> at = (List<Number>) browser.driver.executeScript("""
                    var chart = echarts.getInstanceByDom(arguments[0]);
                    var data = chart.getModel().getSeriesByIndex(0).getData();
                    for (var i = 0; i < data.count(); i++) {
                      if (data.getName(i) === arguments[1]) {
                        var p = chart.convertToPixel({seriesIndex: 0}, data.getItemLayout(i));
                        var box = arguments[0].getBoundingClientRect();
                        return [box.left + p[0], box.top + p[1]];
                      }
                    }
                    return null;""", chart, "fra1-r01");
            if (at == null) {
                return driver.getCurrentUrl().endsWith("/cmdb/cis/" + rack);
            }
            new Actions(driver).moveToLocation(at.get(0).intValue(), at.get(1).intValue()).click().perform();
            return driver.getCurrentUrl().endsWith("/cmdb/cis/" + rack);
        });
        assertThat(find("#ci-name").getText()).isEqualTo("fra1-r01");
    }

    @Test
    void keepsAGraphOfAFewHundredNodesReadable() {
        long host = cis.create(new CreateCi("Server", "fra1-big01", Map.of("serial_number", "BIG-0001"), "platform",
                List.of(), "in_use"), SEED).id();
        List<Long> apps = new java.util.ArrayList<>();
        for (int v = 1; v <= 40; v++) {
            long vm = cis.create(new CreateCi("VirtualMachine", "big-vm-%02d".formatted(v), Map.of(), "platform",
                    List.of(), "in_use"), SEED).id();
            relations.add(vm, "runs_on", host, SEED);
            for (int a = 1; a <= 5; a++) {
                long app = cis.create(new CreateCi("Application", "big-app-%02d-%d".formatted(v, a), Map.of(), "product",
                        List.of(), "in_use"), SEED).id();
                relations.add(app, "runs_on", vm, SEED);
                apps.add(app);
            }
        }
        for (int s = 0; s < 10; s++) {
            long service = cis.create(new CreateCi("BusinessService", "Big service " + s, Map.of(), "business",
                    List.of(), "in_use"), SEED).id();
            for (int i = s; i < apps.size(); i += 10) {
                relations.add(service, "depends_on", apps.get(i), SEED);
            }
        }
        browser.driver.get(url("/cmdb/cis/" + host + "/impact?direction=downstream&depth=3"));
        assertThat(chartNodes("[data-impact-graph]")).isEqualTo(251);
        Boolean labels = (Boolean) browser.driver.executeScript(
                "return echarts.getInstanceByDom(arguments[0]).getOption().series[0].label.show", find("[data-impact-graph]"));
        assertThat(labels).as("labels only on hover beyond 60 nodes").isFalse();
        assertThat(find("#impact-services").findElements(By.cssSelector("li"))).hasSize(10);
        waitUntilSettled("[data-impact-graph]");
        browser.screenshot("cmdb-impact-large");
    }

    @Test
    void importsACsvFromDryRunToCommit() throws IOException {
        Path bad = csv("name,state,owner_team,tags,url,criticality\n"
                + "wiki,in_use,docs,internal,https://wiki.example.com,low\n"
                + "status-page,in_use,sre,public,not a url,urgent\n"
                + "grafana,in_use,sre,monitoring,https://grafana.example.com,high\n");
        find("a.nav-item[href='/cmdb/import']").click();
        new Select(find("#import-class")).selectByValue("Application");
        find("#import-file").sendKeys(bad.toString());
        find("#import-check").click();
        assertThat(find("#import-errors").getText()).contains("3").contains("must be a valid URL")
                .contains("must be one of low, medium, high, critical");
        assertThat(find("#import-preview tr.bad-row").getText()).contains("status-page");
        assertThat(browser.driver.findElements(By.id("import-commit"))).isEmpty();
        browser.screenshot("cmdb-import");

        Path good = csv("name,state,owner_team,tags,url,criticality\n"
                + "wiki,in_use,docs,internal,https://wiki.example.com,low\n"
                + "status-page,in_use,sre,public,https://status.example.com,high\n");
        new Select(find("#import-class")).selectByValue("Application");
        find("#import-file").sendKeys(good.toString());
        find("#import-check").click();
        assertThat(find("#import-report").getAttribute("data-valid")).isEqualTo("true");
        find("#import-commit").click();
        assertThat(find("#notice").getText()).isEqualTo("Import into Application committed.");
        assertThat(find("#import-committed").getText()).contains("2").contains("created");
        assertThat(id("status-page")).isPositive();
    }

    private static Path csv(String content) {
        try {
            Path file = Files.createTempFile("opsbase-import-", ".csv");
            file.toFile().deleteOnExit();
            return Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
