package io.opsbase.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import io.opsbase.testing.ApiClient;
import io.opsbase.testing.TestUsers;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestUsers.class)
class TokenApiTest {

    @LocalServerPort
    int port;

    @Autowired
    TestUsers testUsers;

    @Test
    void issuesTokenWithBasicAuthAndAcceptsItAsBearer() {
        String user = testUsers.createUser(Role.OPERATOR);
        var created = ApiClient.at(port).withBasic(user, TestUsers.PASSWORD).post("/api/v1/tokens", "{\"name\":\"ci\"}");
        assertThat(created.status()).isEqualTo(201);
        String token = created.json().get("token").asString();
        assertThat(token).startsWith("obt_");
        assertThat(created.json().has("id")).isTrue();
        assertThat(created.json().has("expiresAt")).isTrue();

        var me = ApiClient.at(port).withBearer(token).get("/api/v1/me");
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().get("username").asString()).isEqualTo(user);
    }

    @Test
    void rejectsBasicAuthEverywhereButTokenCreation() {
        String user = testUsers.createUser(Role.ADMIN);
        var r = ApiClient.at(port).withBasic(user, TestUsers.PASSWORD).get("/api/v1/me");
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.contentType()).startsWith("application/problem+json");
    }

    @Test
    void answersUnauthenticatedWithProblemAndRequestId() {
        var r = ApiClient.at(port).withHeader("X-Request-Id", "trace-123").get("/api/v1/audit");
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.header("X-Request-Id")).isEqualTo("trace-123");
        assertThat(r.json().get("requestId").asString()).isEqualTo("trace-123");
        assertThat(r.json().get("type").asString()).isEqualTo("/problems/unauthenticated");
    }

    @Test
    void rejectsRevokedAndUnknownTokens() {
        String user = testUsers.createUser(Role.VIEWER);
        var created = ApiClient.at(port).withBasic(user, TestUsers.PASSWORD).post("/api/v1/tokens", "{}");
        String token = created.json().get("token").asString();
        long id = created.json().get("id").asLong();
        var api = ApiClient.at(port).withBearer(token);
        assertThat(api.delete("/api/v1/tokens/" + id).status()).isEqualTo(204);
        assertThat(api.get("/api/v1/me").status()).isEqualTo(401);
        assertThat(ApiClient.at(port).withBearer("obt_not-a-real-token").get("/api/v1/me").status()).isEqualTo(401);
    }

    @Test
    void aRememberedTokenStopsWorkingTheMomentItsUserIsDisabledOrDemoted() {
        String user = testUsers.createUser(Role.OPERATOR);
        var created = ApiClient.at(port).withBasic(user, TestUsers.PASSWORD).post("/api/v1/tokens", "{}");
        var api = ApiClient.at(port).withBearer(created.json().get("token").asString());
        var me = api.get("/api/v1/me");
        assertThat(me.status()).isEqualTo(200); // now remembered for a few seconds
        assertThat(api.post("/api/v1/cis", "{}").status()).isEqualTo(422); // an operator may write: the body is what is wrong
        long userId = me.json().get("id").asLong();
        var admin = ApiClient.at(port).withBearer(testUsers.tokenFor(Role.ADMIN));
        assertThat(admin.patch("/api/v1/users/" + userId, java.util.Map.of("role", "viewer")).status()).isEqualTo(200);
        assertThat(api.post("/api/v1/cis", "{}").status()).isEqualTo(403);
        assertThat(admin.patch("/api/v1/users/" + userId, java.util.Map.of("enabled", false)).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/me").status()).isEqualTo(401);
    }

    @Test
    void forbidsViewerFromAuditLogAndAllowsAuditor() {
        assertThat(ApiClient.at(port).withBearer(testUsers.tokenFor(Role.VIEWER)).get("/api/v1/audit").status())
                .isEqualTo(403);
        assertThat(ApiClient.at(port).withBearer(testUsers.tokenFor(Role.AUDITOR)).get("/api/v1/audit").status())
                .isEqualTo(200);
    }

    @Test
    void rejectsMalformedJsonWithBadRequestProblem() {
        String user = testUsers.createUser(Role.OPERATOR);
        var r = ApiClient.at(port).withBasic(user, TestUsers.PASSWORD).post("/api/v1/tokens", "{not json");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("at io.");
    }
}
