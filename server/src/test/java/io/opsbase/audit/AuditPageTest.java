package io.opsbase.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

import io.opsbase.auth.Role;
import io.opsbase.testing.TestUsers;
import io.opsbase.testing.WebSession;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestUsers.class)
class AuditPageTest {

    @LocalServerPort
    int port;

    @Autowired
    TestUsers testUsers;

    @Autowired
    JdbcClient jdbc;

    private WebSession signedIn(Role role) {
        WebSession session = WebSession.at(port).header("Accept-Language", "en");
        assertThat(session.login(testUsers.createUser(role), TestUsers.PASSWORD).location()).isEqualTo("/");
        return session;
    }

    @Test
    void listsRecordsNewestFirstAndFiltersByActor() {
        String marker = testUsers.createUser(Role.VIEWER);
        WebSession auditor = signedIn(Role.AUDITOR);
        var page = auditor.get("/audit");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("id=\"audit-table\"").contains("user.created").contains("created " + marker);

        var filtered = auditor.get("/audit?action=login.*&actor=nobody-at-all");
        assertThat(filtered.body()).contains("Nothing recorded yet.").doesNotContain("created " + marker);
    }

    @Test
    void pagesOlderRecordsWithTheFiltersKept() {
        WebSession admin = signedIn(Role.ADMIN);
        for (int i = 0; i < 52; i++) {
            testUsers.createUser(Role.VIEWER);
        }
        var first = admin.get("/audit?action=user.created");
        assertThat(first.body()).contains("id=\"audit-older\"");
        String older = first.body().replaceAll("(?s).*id=\"audit-older\" href=\"([^\"]+)\".*", "$1").replace("&amp;", "&");
        assertThat(older).startsWith("/audit?action=user.created&before=");
        var second = admin.get(older);
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.body()).contains("user.created").contains(">Newest<");
    }

    @Test
    void reportsABadDateInlineInsteadOfFailing() {
        var page = signedIn(Role.AUDITOR).get("/audit?from=yesterday");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("Use a date such as 2026-01-31.");
    }

    @Test
    void verifiesTheChainAsAnHtmxFragmentAndAsAPage() {
        WebSession auditor = signedIn(Role.AUDITOR);
        var fragment = auditor.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/audit/verify")),
                Map.of("HX-Request", "true"));
        assertThat(fragment.status()).isEqualTo(200);
        assertThat(fragment.body()).contains("Chain intact.").doesNotContain("<html").doesNotContain("audit-table");

        var page = auditor.get("/audit/verify");
        assertThat(page.body()).contains("<html").contains("Chain intact.").contains("id=\"audit-table\"");
    }

    @Test
    void showsABrokenChainAfterARecordIsEdited() {
        WebSession auditor = signedIn(Role.AUDITOR);
        long id = jdbc.sql("select max(id) from audit_records").query(Long.class).single();
        String original = jdbc.sql("select summary from audit_records where id = :id").param("id", id)
                .query(String.class).single();
        jdbc.sql("update audit_records set summary = 'tampered' where id = :id").param("id", id).update();
        try {
            assertThat(auditor.get("/audit/verify").body()).contains("Chain broken!").contains("#" + id);
        } finally {
            // The other tests share this database and expect an intact chain.
            jdbc.sql("update audit_records set summary = :s where id = :id").param("s", original).param("id", id).update();
        }
        assertThat(auditor.get("/audit/verify").body()).contains("Chain intact.");
    }

    @Test
    void keepsViewersAndOperatorsOut() {
        assertThat(signedIn(Role.VIEWER).get("/audit").status()).isEqualTo(403);
        assertThat(signedIn(Role.OPERATOR).get("/audit/verify").status()).isEqualTo(403);
    }
}
