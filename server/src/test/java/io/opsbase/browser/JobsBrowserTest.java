package io.opsbase.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

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

import io.opsbase.agents.AgentService;
import io.opsbase.agents.EnrollmentTokenService;
import io.opsbase.auth.Role;
import io.opsbase.auth.UserService;
import io.opsbase.cmdb.ChangeContext;
import io.opsbase.cmdb.CiService;
import io.opsbase.cmdb.CreateCi;
import io.opsbase.files.FileStore;
import io.opsbase.protocol.Task;
import io.opsbase.protocol.TaskOutputRequest;
import io.opsbase.testing.ApiClient;
import io.opsbase.testing.TestUsers;

/**
 * The run page in real Chromium for a file step from one host to two others, part-way through:
 * host names beside CI ids, the source host's stored upload, one host done (100 %) and one still
 * downloading (40 %). With {@code -Dscreenshots=true} it writes {@code docs/screenshots/jobs-run.png}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestUsers.class)
class JobsBrowserTest {

    @LocalServerPort
    int port;

    @Autowired
    TestUsers testUsers;

    @Autowired
    UserService users;

    @Autowired
    CiService cis;

    @Autowired
    AgentService agents;

    @Autowired
    EnrollmentTokenService enrollmentTokens;

    @Autowired
    FileStore files;

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

    private record Host(long ciId, SignedAgent agent) {
    }

    private Host host(String name) throws Exception {
        long ci = cis.create(new CreateCi("Server", name + "-" + UUID.randomUUID().toString().substring(0, 4), Map.of("env", "prod"),
                null, List.of("web"), null), ChangeContext.api("test", null)).id();
        String token = enrollmentTokens.issue(1, null, true, "jobs browser test", "admin").token();
        var agent = SignedAgent.enroll(port, token, InventoryFixtures.server(name, "Dell Inc.", "PowerEdge R650", "Debian GNU/Linux", "12", 8),
                "1.0.0", Clock.systemUTC());
        agents.bind(agent.id(), ci);
        return new Host(ci, agent);
    }

    private static Task next(SignedAgent agent) {
        List<Task> got = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            got.addAll(agent.tasks());
            return !got.isEmpty();
        });
        return got.getFirst();
    }

    private static TaskOutputRequest chunk(Task task, int sequence, String stdout, Integer exitCode, Long bytes, Long total) {
        return new TaskOutputRequest(task.taskId() + "-" + sequence, task.taskId(), sequence, stdout, "", exitCode != null, exitCode,
                null, null, false, exitCode == null ? null : "exited", bytes, total);
    }

    @Test
    void showsHostNamesTheSourceUploadAndEachHostsDownloadProgress() throws Exception {
        Host build = host("build-01");
        Host web1 = host("web-01");
        Host web2 = host("web-02");
        var operator = ApiClient.at(port).withBearer(testUsers.tokenFor(Role.OPERATOR));
        var started = operator.post("/api/v1/runs", """
                {"name": "ship app.jar from build-01", "file": {"source": {"ciId": %d, "path": "/srv/build/app.jar"},
                 "path": "/opt/app/app.jar", "mode": "0644"}, "targets": {"ciIds": [%d, %d]}}"""
                .formatted(build.ciId(), web1.ciId(), web2.ciId()));
        assertThat(started.status()).as(started.body()).isEqualTo(201);
        long run = started.json().get("id").asLong();

        Task upload = next(build.agent());
        byte[] jar = ("PK app " + UUID.randomUUID()).repeat(40_000).getBytes(StandardCharsets.UTF_8);
        String sha = files.store(new ByteArrayInputStream(jar), "app.jar", null, "agent:" + build.agent().id()).file().sha256();
        build.agent().output(chunk(upload, 0, "uploading /srv/build/app.jar (" + jar.length + " bytes)\nsha256=" + sha + " size="
                + jar.length + "\n", 0, null, null));
        Task first = next(web1.agent());
        Task second = next(web2.agent());
        web1.agent().output(chunk(first, 0, "", null, 0L, (long) jar.length));
        web1.agent().output(chunk(first, 1, "installed /opt/app/app.jar\n", 0, (long) jar.length, (long) jar.length));
        web2.agent().output(chunk(second, 0, "", null, jar.length * 4L / 10, (long) jar.length));

        browser.driver.get(url("/login"));
        find("#username").sendKeys(Chromium.ensureUser(users, "li.wei", "Li Wei", Role.OPERATOR));
        find("#password").sendKeys(TestUsers.PASSWORD);
        find("#login-submit").click();
        browser.wait.until(ExpectedConditions.urlToBe(url("/")));
        browser.driver.get(url("/jobs/runs/" + run));

        String done = find("#host-" + web1.ciId()).getText();
        assertThat(done).contains("web-01").contains("(" + web1.ciId() + ")").contains("100% · " + jar.length + " / " + jar.length + " B");
        String downloading = find("#host-" + web2.ciId()).getText();
        assertThat(downloading).contains("web-02").contains("40% · ");
        assertThat(find("#host-" + web2.ciId() + " progress").getAttribute("value")).isEqualTo(Long.toString(jar.length * 4L / 10));
        assertThat(find(".result-group").getText()).contains("web-01-").contains("(" + web1.ciId() + ")");
        String source = find("#file-sources").getText();
        assertThat(source).contains("build-01").contains("/srv/build/app.jar").contains("stored").contains(sha);
        // The upload, the groups and the host table in one view.
        ((org.openqa.selenium.JavascriptExecutor) browser.driver).executeScript("document.getElementById('file-sources').scrollIntoView()");
        browser.screenshot("jobs-run");
    }
}
