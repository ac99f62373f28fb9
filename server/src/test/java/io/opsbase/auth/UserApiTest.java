package io.opsbase.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import io.opsbase.testing.ApiClient;
import io.opsbase.testing.TestUsers;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestUsers.class)
class UserApiTest {

    @LocalServerPort
    int port;

    @Autowired
    TestUsers testUsers;

    @Autowired
    UserService users;

    ApiClient admin;

    @BeforeEach
    void signInAsAdmin() {
        admin = ApiClient.at(port).withBearer(testUsers.tokenFor(Role.ADMIN));
    }

    private static String unique(String prefix) {
        return prefix + "-" + Long.toHexString(System.nanoTime());
    }

    private long createUser(String name, String role) {
        var r = admin.post("/api/v1/users", Map.of("username", name, "displayName", "Name " + name,
                "password", "a-long-enough-password", "role", role));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("id").asLong();
    }

    @Test
    void createsAUserAndAnswersWithLocation() {
        String name = unique("alice");
        var r = admin.post("/api/v1/users", Map.of("username", name, "displayName", "Alice",
                "password", "a-long-enough-password", "role", "operator"));
        assertThat(r.status()).isEqualTo(201);
        long id = r.json().get("id").asLong();
        assertThat(r.header("Location")).isEqualTo("/api/v1/users/" + id);
        assertThat(r.json().get("role").asString()).isEqualTo("OPERATOR");
        assertThat(r.body()).doesNotContain("password");

        var fetched = admin.get("/api/v1/users/" + id);
        assertThat(fetched.status()).isEqualTo(200);
        assertThat(fetched.json().get("username").asString()).isEqualTo(name);
        assertThat(admin.get("/api/v1/users").json().get("items").toString()).contains(name);
    }

    @Test
    void rejectsInvalidUsersWithOneEntryPerFieldAndCreatesNothing() {
        int before = users.list().size();
        var badName = admin.post("/api/v1/users", Map.of("username", "Bad Name!", "password", "a-long-enough-password",
                "role", "viewer"));
        assertThat(badName.status()).isEqualTo(422);
        assertThat(badName.contentType()).startsWith("application/problem+json");
        assertThat(badName.json().get("errors").get(0).get("field").asString()).isEqualTo("username");

        var shortPassword = admin.post("/api/v1/users", Map.of("username", unique("bob"), "password", "short",
                "role", "viewer"));
        assertThat(shortPassword.status()).isEqualTo(422);
        assertThat(shortPassword.json().get("errors").get(0).get("field").asString()).isEqualTo("password");

        var badRole = admin.post("/api/v1/users", Map.of("username", unique("carol"), "password", "a-long-enough-password",
                "role", "superuser"));
        assertThat(badRole.status()).isEqualTo(422);
        assertThat(badRole.json().get("errors").get(0).get("field").asString()).isEqualTo("role");

        assertThat(users.list()).hasSize(before);
    }

    @Test
    void rejectsADuplicateUsernameWithConflict() {
        String name = unique("dave");
        createUser(name, "viewer");
        var again = admin.post("/api/v1/users", Map.of("username", name, "password", "a-long-enough-password",
                "role", "viewer"));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("type").asString()).isEqualTo("/problems/duplicate-username");
    }

    @Test
    void patchesRoleEnabledAndDisplayNameKeepingAbsentFields() {
        long id = createUser(unique("erin"), "viewer");
        var r = admin.patch("/api/v1/users/" + id, Map.of("role", "auditor"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("role").asString()).isEqualTo("AUDITOR");
        assertThat(r.json().get("enabled").asBoolean()).isTrue();

        var disabled = admin.patch("/api/v1/users/" + id, Map.of("enabled", false, "displayName", "Erin E."));
        assertThat(disabled.json().get("enabled").asBoolean()).isFalse();
        assertThat(disabled.json().get("displayName").asString()).isEqualTo("Erin E.");
        assertThat(disabled.json().get("role").asString()).isEqualTo("AUDITOR");
    }

    @Test
    void rejectsAnUnknownRoleInAPatchAndChangesNothing() {
        long id = createUser(unique("frank"), "viewer");
        var r = admin.patch("/api/v1/users/" + id, Map.of("role", "root", "enabled", false));
        assertThat(r.status()).isEqualTo(422);
        var unchanged = users.get(id);
        assertThat(unchanged.role()).isEqualTo(Role.VIEWER);
        assertThat(unchanged.enabled()).isTrue();
    }

    @Test
    void refusesToLetAnAdminDemoteOrDisableThemselves() {
        String me = testUsers.createUser(Role.ADMIN);
        var self = ApiClient.at(port).withBearer(tokenFor(me));
        long myId = users.getByUsername(me).id();
        var demote = self.patch("/api/v1/users/" + myId, Map.of("role", "viewer"));
        assertThat(demote.status()).isEqualTo(409);
        assertThat(demote.json().get("type").asString()).isEqualTo("/problems/self-lockout");
        assertThat(self.patch("/api/v1/users/" + myId, Map.of("enabled", false)).status()).isEqualTo(409);
        assertThat(users.get(myId).role()).isEqualTo(Role.ADMIN);
        assertThat(self.patch("/api/v1/users/" + myId, Map.of("displayName", "Me")).status()).isEqualTo(200);
    }

    private String tokenFor(String username) {
        var r = ApiClient.at(port).withBasic(username, TestUsers.PASSWORD).post("/api/v1/tokens", "{}");
        return r.json().get("token").asString();
    }

    @Test
    void changesAPasswordSoTheOldOneStopsWorking() {
        String name = unique("grace");
        long id = createUser(name, "operator");
        var r = admin.post("/api/v1/users/" + id + "/password", Map.of("password", "another-long-password"));
        assertThat(r.status()).isEqualTo(204);
        assertThat(ApiClient.at(port).withBasic(name, "a-long-enough-password").post("/api/v1/tokens", "{}").status())
                .isEqualTo(401);
        assertThat(ApiClient.at(port).withBasic(name, "another-long-password").post("/api/v1/tokens", "{}").status())
                .isEqualTo(201);

        var tooShort = admin.post("/api/v1/users/" + id + "/password", Map.of("password", "short"));
        assertThat(tooShort.status()).isEqualTo(422);
    }

    @Test
    void answersNotFoundForAMissingUser() {
        var r = admin.get("/api/v1/users/99999999");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(admin.patch("/api/v1/users/99999999", Map.of("role", "viewer")).status()).isEqualTo(404);
        assertThat(admin.post("/api/v1/users/99999999/password", Map.of("password", "another-long-password")).status())
                .isEqualTo(404);
    }

    @Test
    void forbidsEveryoneButAdmins() {
        for (Role role : new Role[] {Role.OPERATOR, Role.VIEWER, Role.AUDITOR}) {
            var api = ApiClient.at(port).withBearer(testUsers.tokenFor(role));
            assertThat(api.get("/api/v1/users").status()).as(role.key()).isEqualTo(403);
            assertThat(api.post("/api/v1/users", Map.of("username", unique("x"), "password", "a-long-enough-password",
                    "role", "admin")).status()).as(role.key()).isEqualTo(403);
        }
        assertThat(ApiClient.at(port).get("/api/v1/users").status()).isEqualTo(401);
    }

    @Test
    void rejectsMalformedJson() {
        var r = admin.post("/api/v1/users", "{\"username\":");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
    }

    @Test
    void recordsUserChangesInTheAuditLog() {
        long id = createUser(unique("heidi"), "viewer");
        admin.patch("/api/v1/users/" + id, Map.of("role", "operator"));
        var audit = admin.get("/api/v1/audit?targetType=user&targetId=" + id);
        assertThat(audit.json().get("items").toString()).contains("user.created").contains("user.updated");
    }
}
