package io.opsbase.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import io.opsbase.auth.Role;
import io.opsbase.testing.TestUsers;
import io.opsbase.testing.WebSession;

/** The layout, language choice, security headers and error pages, over real HTTP. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestUsers.class)
class PageShellTest {

    @LocalServerPort
    int port;

    @Autowired
    TestUsers testUsers;

    private WebSession signedIn(Role role) {
        WebSession session = WebSession.at(port);
        var login = session.login(testUsers.createUser(role), TestUsers.PASSWORD);
        assertThat(login.status()).isEqualTo(302);
        assertThat(login.location()).isEqualTo("/");
        return session;
    }

    @Test
    void redirectsAnonymousVisitorsToTheLoginPage() {
        var home = WebSession.at(port).get("/");
        assertThat(home.status()).isEqualTo(302);
        assertThat(home.location()).isEqualTo("/login");
    }

    @Test
    void showsLoginPageInTheBrowserLanguage() {
        var english = WebSession.at(port).header("Accept-Language", "en-US,en;q=0.9").get("/login");
        assertThat(english.status()).isEqualTo(200);
        assertThat(english.body()).contains("Sign in to your account").contains("name=\"_csrf\"");

        var chinese = WebSession.at(port).header("Accept-Language", "zh-CN,zh;q=0.9,en;q=0.5").get("/login");
        assertThat(chinese.body()).contains("登录您的账户").contains("lang=\"zh-CN\"");

        var unsupported = WebSession.at(port).header("Accept-Language", "fr-FR").get("/login");
        assertThat(unsupported.body()).contains("Sign in to your account");
    }

    @Test
    void remembersTheLanguageChosenWithTheSwitch() {
        WebSession session = signedIn(Role.VIEWER).header("Accept-Language", "en");
        var switched = session.get("/?lang=zh-CN");
        assertThat(switched.body()).contains("概览").contains("退出登录");
        assertThat(switched.header("Set-Cookie")).contains("opsbase-lang=zh-CN");
        assertThat(session.get("/").body()).contains("概览");
        assertThat(session.get("/?lang=en").body()).contains("Overview").doesNotContain("概览");
    }

    @Test
    void ignoresAnUnknownLanguageParameter() {
        var page = signedIn(Role.VIEWER).header("Accept-Language", "en").get("/?lang=xx-%25%25");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("Overview");
    }

    @Test
    void sendsStrictSecurityHeadersOnPages() {
        var page = signedIn(Role.OPERATOR).get("/");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Security-Policy")).contains("script-src 'self'").contains("frame-ancestors 'none'");
        assertThat(page.header("X-Frame-Options")).isEqualTo("DENY");
        assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(page.header("X-Request-Id")).isNotBlank();
        // CSP forbids inline scripts, so the pages must not contain any.
        assertThat(page.body()).doesNotContainPattern("<script(?![^>]*\\ssrc=)[^>]*>");
        assertThat(page.body()).contains("<meta name=\"_csrf\"").contains("<meta name=\"_csrf_header\" content=\"X-CSRF-TOKEN\"");
    }

    @Test
    void showsNavigationByRole() {
        var viewer = signedIn(Role.VIEWER).get("/").body();
        assertThat(viewer).doesNotContain("href=\"/admin/users\"").doesNotContain("href=\"/audit\"");
        var admin = signedIn(Role.ADMIN).get("/").body();
        assertThat(admin).contains("href=\"/admin/users\"").contains("href=\"/audit\"").contains("href=\"/tokens\"");
    }

    @Test
    void showsFriendlyNotFoundPageWithTheRequestId() {
        WebSession session = signedIn(Role.VIEWER).header("Accept-Language", "en").header("X-Request-Id", "trace-404");
        var page = session.get("/no-such-page");
        assertThat(page.status()).isEqualTo(404);
        assertThat(page.body()).contains("Page not found").contains("trace-404").contains("Back to the overview");
    }

    @Test
    void showsFriendlyForbiddenPageToAViewerOnAdminPages() {
        var page = signedIn(Role.VIEWER).header("Accept-Language", "en").get("/admin/users");
        assertThat(page.status()).isEqualTo(403);
        assertThat(page.body()).contains("Not allowed").contains("id=\"request-id\"");
    }

    @Test
    void showsNotFoundPageForAMissingRecordBehindAPage() {
        WebSession admin = signedIn(Role.ADMIN).header("Accept-Language", "en");
        var page = admin.submit("/admin/users", "/admin/users/987654/enabled", java.util.Map.of("enabled", "false"));
        assertThat(page.status()).isEqualTo(404);
        assertThat(page.body()).contains("Page not found");
    }

    @Test
    void servesStylesScriptsAndHtmxWithoutLogin() {
        assertThat(WebSession.at(port).get("/css/app.css").status()).isEqualTo(200);
        assertThat(WebSession.at(port).get("/js/app.js").body()).contains("htmx:configRequest");
        assertThat(WebSession.at(port).get("/webjars/htmx.org/2.0.4/dist/htmx.min.js").status()).isEqualTo(200);
    }
}
