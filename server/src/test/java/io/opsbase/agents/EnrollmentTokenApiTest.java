package io.opsbase.agents;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import io.opsbase.auth.Role;
import io.opsbase.testing.ApiClient;
import io.opsbase.testing.TestUsers;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestUsers.class)
class EnrollmentTokenApiTest {

    @LocalServerPort
    int port;

    @Autowired
    TestUsers testUsers;

    @Autowired
    EnrollmentTokenService service;

    @Test
    void adminCreatesTokenThatCanBeUsedExactlyItsNumberOfTimes() {
        var api = ApiClient.at(port).withBearer(testUsers.tokenFor(Role.ADMIN));
        var created = api.post("/api/v1/enrollment-tokens", "{\"uses\": 2, \"expiresIn\": \"PT1H\", \"autoApprove\": true}");
        assertThat(created.status()).isEqualTo(201);
        String token = created.json().get("token").asString();
        assertThat(token).startsWith("oet_");
        assertThat(created.json().get("autoApprove").asBoolean()).isTrue();

        assertThat(service.consume(token)).isPresent();
        assertThat(service.consume(token)).isPresent();
        assertThat(service.consume(token)).isEmpty();
    }

    @Test
    void revokedTokenCannotBeUsed() {
        var api = ApiClient.at(port).withBearer(testUsers.tokenFor(Role.ADMIN));
        var created = api.post("/api/v1/enrollment-tokens", "{\"uses\": 5}");
        long id = created.json().get("id").asLong();
        assertThat(api.delete("/api/v1/enrollment-tokens/" + id).status()).isEqualTo(204);
        assertThat(service.consume(created.json().get("token").asString())).isEmpty();
        assertThat(api.delete("/api/v1/enrollment-tokens/999999").status()).isEqualTo(404);
    }

    @Test
    void rejectsBadValuesWithFieldErrors() {
        var api = ApiClient.at(port).withBearer(testUsers.tokenFor(Role.ADMIN));
        var r = api.post("/api/v1/enrollment-tokens", "{\"uses\": 0}");
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.json().get("errors").get(0).get("field").asString()).isEqualTo("uses");
        var r2 = api.post("/api/v1/enrollment-tokens", "{\"uses\": 1, \"expiresIn\": \"tomorrow\"}");
        assertThat(r2.status()).isEqualTo(422);
    }

    @Test
    void onlyAdminsManageEnrollmentTokens() {
        assertThat(ApiClient.at(port).withBearer(testUsers.tokenFor(Role.OPERATOR))
                .post("/api/v1/enrollment-tokens", "{\"uses\": 1}").status()).isEqualTo(403);
        assertThat(ApiClient.at(port).withBearer(testUsers.tokenFor(Role.VIEWER))
                .get("/api/v1/enrollment-tokens").status()).isEqualTo(403);
    }
}
