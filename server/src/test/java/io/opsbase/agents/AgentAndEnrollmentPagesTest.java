package io.opsbase.agents;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import io.opsbase.auth.Role;
import io.opsbase.protocol.EnrollRequest;
import io.opsbase.protocol.EnrollResponse;
import io.opsbase.protocol.HostFingerprint;
import io.opsbase.protocol.ProtocolJson;
import io.opsbase.protocol.ProtocolVersion;
import io.opsbase.protocol.TaskOutputRequest;
import io.opsbase.protocol.TaskPollResponse;
import io.opsbase.protocol.signing.RequestSigner;
import io.opsbase.testing.TestUsers;
import io.opsbase.testing.WebSession;

/**
 * The agents and enrollment-token pages through real HTTP: a token created in the form is shown
 * once with its install command and enrolls a real (signed) agent; the agent list pings it and
 * shows its answer, and revokes it; who may do what, as the API allows.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestUsers.class)
class AgentAndEnrollmentPagesTest {

    private static final Pattern TOKEN = Pattern.compile("id=\"enrollment-token\">(oet_[A-Za-z0-9_-]+)<");

    @LocalServerPort
    int port;

    @Autowired
    TestUsers users;

    @Autowired
    EnrollmentTokenService enrollmentTokens;

    @Autowired
    AgentService agents;

    final HttpClient http = HttpClient.newHttpClient();

    private WebSession signedIn(Role role) {
        WebSession session = WebSession.at(port).header("Accept-Language", "en");
        assertThat(session.login(users.createUser(role), TestUsers.PASSWORD).location()).isEqualTo("/");
        return session;
    }

    record Enrolled(long id, RequestSigner signer) {
    }

    private Enrolled enroll(String token, String hostname) throws Exception {
        var request = new EnrollRequest(token, new HostFingerprint("mid-" + System.nanoTime(), null, null, null,
                List.of("02:00:00:00:00:01"), hostname), "1.4.2", ProtocolVersion.CURRENT);
        var r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/agent/enroll"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(ProtocolJson.write(request))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(201);
        var response = ProtocolJson.read(r.body(), EnrollResponse.class);
        return new Enrolled(Long.parseLong(response.agentId()), new RequestSigner(response.agentId(),
                Base64.getDecoder().decode(response.secret()), Clock.systemUTC()));
    }

    private HttpResponse<String> signed(RequestSigner signer, String method, String pathAndQuery, byte[] body)
            throws Exception {
        var b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", "application/json");
        signer.sign(method, pathAndQuery, body).asMap().forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void adminCreatesATokenSeenOnceWithItsInstallCommandAndAnAgentEnrollsWithIt() throws Exception {
        WebSession admin = signedIn(Role.ADMIN);
        var created = admin.submit("/admin/enrollment-tokens", "/admin/enrollment-tokens",
                Map.of("uses", "3", "expiresIn", "P7D", "autoApprove", "true", "description", "rack FRA1-R07"));
        assertThat(created.status()).isEqualTo(302);
        assertThat(created.location()).isEqualTo("/admin/enrollment-tokens");
        var shown = admin.get("/admin/enrollment-tokens");
        Matcher m = TOKEN.matcher(shown.body());
        assertThat(m.find()).as(shown.body()).isTrue();
        String token = m.group(1);
        String server = "http://127.0.0.1:" + port;
        assertThat(shown.body()).contains("curl -fsSL " + server + "/install/agent.sh | sudo sh -s -- --server " + server
                + " --enroll-token " + token).contains("rack FRA1-R07").contains("3 / 3");
        // Shown once: the next visit lists the token by its prefix only.
        var later = admin.get("/admin/enrollment-tokens");
        assertThat(later.body()).doesNotContain(token).contains(token.substring(0, 10) + "…");

        enroll(token, "pages-" + System.nanoTime());
        assertThat(admin.get("/admin/enrollment-tokens").body()).contains("2 / 3");
        EnrollmentToken stored = enrollmentTokens.list().stream().filter(t -> token.startsWith(t.prefix())
                && "rack FRA1-R07".equals(t.description())).findFirst().orElseThrow();
        assertThat(stored.autoApprove()).isTrue();

        var revoked = admin.post("/admin/enrollment-tokens/" + stored.id() + "/revoke", Map.of(), later.csrfToken());
        assertThat(revoked.location()).isEqualTo("/admin/enrollment-tokens");
        assertThat(enrollmentTokens.list().stream().filter(t -> t.id() == stored.id()).findFirst().orElseThrow().revokedAt())
                .isNotNull();
    }

    @Test
    void tokenFormRejectsBadInputAndOnlyAdminsReachIt() {
        WebSession admin = signedIn(Role.ADMIN);
        int before = enrollmentTokens.list().size();
        var bad = admin.submit("/admin/enrollment-tokens", "/admin/enrollment-tokens", Map.of("uses", "0", "expiresIn", "PT24H"));
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.body()).contains("Between 1 and 100,000.");
        var badLife = admin.submit("/admin/enrollment-tokens", "/admin/enrollment-tokens", Map.of("uses", "1", "expiresIn", "P400D"));
        assertThat(badLife.status()).isEqualTo(422);
        assertThat(enrollmentTokens.list()).hasSize(before);

        for (Role role : List.of(Role.VIEWER, Role.OPERATOR)) {
            WebSession other = signedIn(role);
            assertThat(other.get("/admin/enrollment-tokens").status()).as(role.key()).isEqualTo(403);
            String csrf = other.get("/agents").csrfToken();
            assertThat(other.post("/admin/enrollment-tokens", Map.of("uses", "1", "expiresIn", "PT1H"), csrf).status())
                    .as(role.key()).isEqualTo(403);
        }
        assertThat(enrollmentTokens.list()).hasSize(before);
    }

    @Test
    void agentsPagePingsAnAgentShowsItsAnswerAndRevokesIt() throws Exception {
        String hostname = "agentpage-" + System.nanoTime();
        Enrolled agent = enroll(enrollmentTokens.issue(1, null, false, "test", "admin").token(), hostname);

        WebSession viewer = signedIn(Role.VIEWER);
        var list = viewer.get("/agents");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body()).contains("data-host=\"" + hostname + "\"").contains("1.4.2").contains("awaiting approval")
                .doesNotContain("data-ping=\"" + agent.id() + "\"").doesNotContain("data-revoke=\"" + agent.id() + "\"");
        assertThat(viewer.post("/agents/" + agent.id() + "/ping", Map.of(), list.csrfToken()).status()).isEqualTo(403);
        assertThat(viewer.post("/agents/" + agent.id() + "/revoke", Map.of(), list.csrfToken()).status()).isEqualTo(403);

        WebSession operator = signedIn(Role.OPERATOR);
        var operatorList = operator.get("/agents");
        assertThat(operatorList.body()).contains("data-ping=\"" + agent.id() + "\"").doesNotContain("data-revoke=\"" + agent.id() + "\"");
        assertThat(operator.post("/agents/" + agent.id() + "/revoke", Map.of(), operatorList.csrfToken()).status()).isEqualTo(403);
        var pinged = operator.post("/agents/" + agent.id() + "/ping", Map.of(), operatorList.csrfToken());
        assertThat(pinged.location()).startsWith("/agents?pinged=" + agent.id() + "&task=");
        assertThat(operator.get(pinged.location()).body()).contains("waiting for the agent to pick it up");

        // The agent collects the ping and answers it, as the real agent does.
        var poll = signed(agent.signer(), "GET", "/api/v1/agent/tasks?wait=0", new byte[0]);
        assertThat(poll.statusCode()).as(poll.body()).isEqualTo(200);
        var task = ProtocolJson.read(poll.body().getBytes(StandardCharsets.UTF_8), TaskPollResponse.class).tasks().getFirst();
        String taskId = task.task().taskId();
        var out = new TaskOutputRequest("k-" + taskId, taskId, 0, "pong", null, true, 0, null, null);
        assertThat(signed(agent.signer(), "POST", "/api/v1/agent/tasks/" + taskId + "/output", ProtocolJson.write(out))
                .statusCode()).isEqualTo(200);
        var answered = operator.get("/agents/" + agent.id() + "/tasks/" + taskId);
        assertThat(answered.body()).contains("answered “pong” in").doesNotContain("hx-trigger");

        WebSession admin = signedIn(Role.ADMIN);
        var adminList = admin.get("/agents");
        assertThat(adminList.body()).contains("data-revoke=\"" + agent.id() + "\"");
        var revoked = admin.post("/agents/" + agent.id() + "/revoke", Map.of(), adminList.csrfToken());
        assertThat(revoked.location()).isEqualTo("/agents");
        assertThat(agents.get(agent.id()).status()).isEqualTo("revoked");
        assertThat(admin.get("/agents").body()).contains("Agent on " + hostname + " revoked.")
                .doesNotContain("data-ping=\"" + agent.id() + "\"");
        assertThat(signed(agent.signer(), "GET", "/api/v1/agent/tasks?wait=0", new byte[0]).statusCode()).isEqualTo(401);
    }
}
