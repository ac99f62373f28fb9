package io.opsbase.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import io.opsbase.testing.ApiClient;
import io.opsbase.testing.TestUsers;
import io.opsbase.testing.WebSession;

/** The users admin page and the API tokens page, driven through their real forms. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestUsers.class)
class UserAndTokenPagesTest {

    private static final Pattern TOKEN = Pattern.compile("id=\"token-secret\">(obt_[A-Za-z0-9_-]+)<");

    @LocalServerPort
    int port;

    @Autowired
    TestUsers testUsers;

    @Autowired
    UserService users;

    @Autowired
    TokenService tokens;

    private WebSession signedIn(String username) {
        WebSession session = WebSession.at(port).header("Accept-Language", "en");
        assertThat(session.login(username, TestUsers.PASSWORD).location()).isEqualTo("/");
        return session;
    }

    private static String unique(String prefix) {
        return prefix + "-" + Long.toHexString(System.nanoTime());
    }

    @Test
    void createsAUserFromTheForm() {
        WebSession admin = signedIn(testUsers.createUser(Role.ADMIN));
        String name = unique("ops");
        var created = admin.submit("/admin/users", "/admin/users", Map.of("username", name, "displayName", "Ops Person",
                "password", "a-long-enough-password", "role", "auditor"));
        assertThat(created.status()).isEqualTo(302);
        assertThat(created.location()).isEqualTo("/admin/users");
        var page = admin.get("/admin/users").body();
        assertThat(page).contains("User " + name + " created.").contains("data-username=\"" + name + "\"");
        assertThat(users.getByUsername(name).role()).isEqualTo(Role.AUDITOR);
    }

    @Test
    void showsInlineErrorsAndKeepsTheTypedValues() {
        WebSession admin = signedIn(testUsers.createUser(Role.ADMIN));
        int before = users.list().size();
        var rejected = admin.submit("/admin/users", "/admin/users", Map.of("username", "Not Valid",
                "displayName", "Typed Name", "password", "a-long-enough-password", "role", "viewer"));
        assertThat(rejected.status()).isEqualTo(422);
        assertThat(rejected.body()).contains("Use 2 to 64 characters").contains("value=\"Typed Name\"")
                .contains("aria-invalid=\"true\"");

        String existing = testUsers.createUser(Role.VIEWER);
        var duplicate = admin.submit("/admin/users", "/admin/users", Map.of("username", existing,
                "password", "a-long-enough-password", "role", "viewer"));
        assertThat(duplicate.body()).contains("A user with this name already exists.");

        var shortPassword = admin.submit("/admin/users", "/admin/users", Map.of("username", unique("p"),
                "password", "short", "role", "viewer"));
        assertThat(shortPassword.body()).contains("The password must have at least 12 characters.");

        var longName = admin.submit("/admin/users", "/admin/users", Map.of("username", unique("long"),
                "displayName", "x".repeat(201), "password", "a-long-enough-password", "role", "viewer"));
        assertThat(longName.status()).isEqualTo(422);
        assertThat(longName.body()).contains("At most 200 characters.");
        assertThat(users.list()).hasSize(before + 1);
    }

    @Test
    void changesRoleDisablesAndResetsPassword() {
        WebSession admin = signedIn(testUsers.createUser(Role.ADMIN));
        String name = testUsers.createUser(Role.VIEWER);
        long id = users.getByUsername(name).id();

        admin.submit("/admin/users", "/admin/users/" + id + "/role", Map.of("role", "operator"));
        assertThat(users.get(id).role()).isEqualTo(Role.OPERATOR);
        assertThat(admin.get("/admin/users").body()).contains("Role of " + name + " changed.");

        admin.submit("/admin/users", "/admin/users/" + id + "/enabled", Map.of("enabled", "false"));
        assertThat(users.get(id).enabled()).isFalse();
        assertThat(WebSession.at(port).login(name, TestUsers.PASSWORD).location()).isEqualTo("/login?error");

        admin.submit("/admin/users", "/admin/users/" + id + "/enabled", Map.of("enabled", "true"));
        admin.submit("/admin/users", "/admin/users/" + id + "/password", Map.of("password", "brand-new-password"));
        assertThat(admin.get("/admin/users").body()).contains("Password of " + name + " reset.");
        assertThat(WebSession.at(port).login(name, "brand-new-password").location()).isEqualTo("/");
    }

    @Test
    void refusesATooShortPasswordReset() {
        WebSession admin = signedIn(testUsers.createUser(Role.ADMIN));
        String name = testUsers.createUser(Role.VIEWER);
        long id = users.getByUsername(name).id();
        admin.submit("/admin/users", "/admin/users/" + id + "/password", Map.of("password", "short"));
        assertThat(admin.get("/admin/users").body()).contains("The password must have at least 12 characters.");
        assertThat(WebSession.at(port).login(name, TestUsers.PASSWORD).location()).isEqualTo("/");
    }

    @Test
    void keepsAnAdminFromDisablingThemselves() {
        String me = testUsers.createUser(Role.ADMIN);
        WebSession admin = signedIn(me);
        long id = users.getByUsername(me).id();
        admin.submit("/admin/users", "/admin/users/" + id + "/enabled", Map.of("enabled", "false"));
        assertThat(users.get(id).enabled()).isTrue();
        assertThat(admin.get("/admin/users").body()).contains("You cannot remove your own admin role");
    }

    @Test
    void rejectsAFormPostWithoutCsrfToken() {
        WebSession admin = signedIn(testUsers.createUser(Role.ADMIN));
        String name = unique("nocsrf");
        var r = admin.post("/admin/users", Map.of("username", name, "password", "a-long-enough-password",
                "role", "viewer"), null);
        assertThat(r.status()).isEqualTo(403);
        assertThat(users.list().stream().noneMatch(u -> u.username().equals(name))).isTrue();
    }

    @Test
    void createsATokenShownOnceThatWorksOnTheApi() {
        String viewer = testUsers.createUser(Role.VIEWER);
        WebSession session = signedIn(viewer);
        var created = session.submit("/tokens", "/tokens", Map.of("name", "backup script", "lifetime", "30"));
        assertThat(created.location()).isEqualTo("/tokens");

        String page = session.get("/tokens").body();
        Matcher m = TOKEN.matcher(page);
        assertThat(m.find()).as(page).isTrue();
        String secret = m.group(1);
        assertThat(page).contains("Token “backup script” created").contains("data-token-name=\"backup script\"")
                .contains("Active, 30 days left");
        assertThat(ApiClient.at(port).withBearer(secret).get("/api/v1/me").json().get("username").asString())
                .isEqualTo(viewer);

        String again = session.get("/tokens").body();
        assertThat(again).doesNotContain(secret).doesNotContain("id=\"token-secret\"").contains("backup script");
        assertThat(session.get("/tokens").body()).doesNotContain("Never");
    }

    @Test
    void rejectsATokenWithoutNameOrWithAnUnofferedLifetime() {
        WebSession session = signedIn(testUsers.createUser(Role.OPERATOR));
        var noName = session.submit("/tokens", "/tokens", Map.of("name", " ", "lifetime", "30"));
        assertThat(noName.status()).isEqualTo(422);
        assertThat(noName.body()).contains("Give the token a name");
        var badLifetime = session.submit("/tokens", "/tokens", Map.of("name", "x", "lifetime", "9999"));
        assertThat(badLifetime.status()).isEqualTo(422);
        assertThat(badLifetime.body()).contains("Choose one of the offered lifetimes.");
        assertThat(badLifetime.body()).contains("You have no tokens yet.");
    }

    @Test
    void revokesOnlyOwnTokens() {
        String owner = testUsers.createUser(Role.OPERATOR);
        WebSession session = signedIn(owner);
        long ownerId = users.getByUsername(owner).id();
        var issued = tokens.issue(ownerId, "ci", null);

        var otherAdmin = signedIn(testUsers.createUser(Role.ADMIN));
        var foreign = otherAdmin.submit("/tokens", "/tokens/" + issued.id() + "/revoke", Map.of());
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(ApiClient.at(port).withBearer(issued.token()).get("/api/v1/me").status()).isEqualTo(200);

        var revoked = session.submit("/tokens", "/tokens/" + issued.id() + "/revoke", Map.of());
        assertThat(revoked.location()).isEqualTo("/tokens");
        assertThat(session.get("/tokens").body()).contains("Token " + issued.id() + " revoked.").contains("Revoked");
        assertThat(ApiClient.at(port).withBearer(issued.token()).get("/api/v1/me").status()).isEqualTo(401);
    }
}
