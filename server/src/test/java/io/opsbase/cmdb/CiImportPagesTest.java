package io.opsbase.cmdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import io.opsbase.auth.Role;
import io.opsbase.testing.TestUsers;
import io.opsbase.testing.WebSession;

/**
 * The CSV import page through real multipart uploads: the dry run's preview and bad lines, the
 * commit of the same file (validated again), who may import, the template and the export links.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestUsers.class)
class CiImportPagesTest {

    private static final Pattern TOKEN = Pattern.compile("name=\"token\" value=\"([^\"]+)\"");

    @LocalServerPort
    int port;

    @Autowired
    TestUsers testUsers;

    @Autowired
    CiSearch search;

    @Autowired
    CiService cis;

    private WebSession signedIn(Role role) {
        WebSession session = WebSession.at(port).header("Accept-Language", "en");
        assertThat(session.login(testUsers.createUser(role), TestUsers.PASSWORD).location()).isEqualTo("/");
        return session;
    }

    /** Posts the import form as a browser does: multipart, with the CSRF token of the import page. */
    private WebSession.Page upload(WebSession session, String className, String csv) {
        String csrf = session.get("/cmdb/cis").csrfToken();
        String boundary = "----opsbase" + UUID.randomUUID();
        String body = part(boundary, "_csrf", null, csrf) + part(boundary, "class", null, className)
                + part(boundary, "file", "estate.csv", csv) + "--" + boundary + "--\r\n";
        return session.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/cmdb/import"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)), Map.of());
    }

    private static String part(String boundary, String name, String fileName, String value) {
        return "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\""
                + (fileName == null ? "" : "; filename=\"" + fileName + "\"\r\nContent-Type: text/csv") + "\r\n\r\n"
                + value + "\r\n";
    }

    private static String token(WebSession.Page page) {
        Matcher m = TOKEN.matcher(page.body());
        assertThat(m.find()).as("commit button on %s", page).isTrue();
        return m.group(1);
    }

    private long count(String className, String text) {
        return search.search(new CiQuery(className, null, List.of(), null, text, List.of(), "name", 100, null, false))
                .items().size();
    }

    private static String marker() {
        return "imp" + Long.toHexString(System.nanoTime());
    }

    @Test
    void dryRunShowsThePreviewAndEveryBadLineAndWritesNothing() {
        String m = marker();
        String csv = "name,state,owner_team,tags,url,criticality\n"
                + m + "-wiki,in_use,docs,web,https://wiki.example.com,low\n"
                + m + "-bad,in_use,docs,,not a url,urgent\n"
                + m + "-ok,,docs,,,\n"
                + m + "-short,in_use\n";
        WebSession operator = signedIn(Role.OPERATOR);
        var page = upload(operator, "Application", csv);
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        assertThat(page.body()).contains("id=\"import-preview\"").contains("<td>" + m + "-wiki</td>")
                .contains("<tr data-line=\"3\" class=\"bad-row\">")
                .contains("must be a valid URL").contains("must be one of low, medium, high, critical")
                .contains("<tr data-line=\"5\">").contains("has 2 cells; the header has 6")
                .contains("2 bad lines").doesNotContain("id=\"import-commit\"");
        assertThat(count("Application", m)).isZero();
    }

    @Test
    void commitsTheCheckedFileOnceAndReportsTheCounts() {
        String m = marker();
        String csv = "name,owner_team,tags,url,criticality\n"
                + m + "-a,docs,web,https://a.example.com,low\n"
                + m + "-b,docs,,https://b.example.com,high\n";
        WebSession operator = signedIn(Role.OPERATOR);
        var dryRun = upload(operator, "Application", csv);
        assertThat(dryRun.body()).contains("ready to import").contains("Import: 2 new, 0 updated").contains(">estate.csv<");
        assertThat(count("Application", m)).isZero();

        var committed = operator.post("/cmdb/import/commit", Map.of("token", token(dryRun)), dryRun.csrfToken());
        assertThat(committed.status()).as(committed.toString()).isEqualTo(302);
        assertThat(committed.location()).isEqualTo("/cmdb/import?class=Application");
        assertThat(count("Application", m)).isEqualTo(2);
        String report = operator.get(committed.location()).body();
        assertThat(report).contains("Import into Application committed.").contains("id=\"import-committed\"")
                .containsPattern("<strong>2</strong> <span class=\"muted\">created</span>");

        // The same token again: the file is gone, nothing is imported twice.
        var again = operator.post("/cmdb/import/commit", Map.of("token", token(dryRun)), dryRun.csrfToken());
        assertThat(again.location()).isEqualTo("/cmdb/import");
        assertThat(operator.get("/cmdb/import").body()).contains("That upload is no longer waiting");
        assertThat(count("Application", m)).isEqualTo(2);
    }

    @Test
    void validatesTheFileAgainWhenCommittingIt() {
        String m = marker().toUpperCase();
        String code = m.substring(m.length() - 10);
        String csv = "name,code\n" + m + "-dc," + code + "\n";
        WebSession operator = signedIn(Role.OPERATOR);
        var dryRun = upload(operator, "Datacenter", csv);
        assertThat(dryRun.body()).contains("ready to import");

        cis.create(CreateCi.of("Datacenter", "taken-" + m, Map.of("code", code)), ChangeContext.api("test", null));
        var commit = operator.post("/cmdb/import/commit", Map.of("token", token(dryRun)), dryRun.csrfToken());
        assertThat(commit.status()).isEqualTo(422);
        assertThat(commit.body()).contains("must be unique within Datacenter").doesNotContain("id=\"import-commit\"");
        assertThat(count("Datacenter", m + "-dc")).isZero();
    }

    @Test
    void asksForAClassAndAFile() {
        WebSession operator = signedIn(Role.OPERATOR);
        var noClass = upload(operator, "", "name\nx\n");
        assertThat(noClass.status()).isEqualTo(422);
        assertThat(noClass.body()).contains("Choose a class.");
        var noFile = upload(operator, "Application", "");
        assertThat(noFile.status()).isEqualTo(422);
        assertThat(noFile.body()).contains("Choose a CSV file.");
        var unknownColumn = upload(operator, "Application", "name,colour\nx,red\n");
        assertThat(unknownColumn.body()).contains("is neither a CI field");
    }

    @Test
    void keepsViewersOutOfTheImport() {
        WebSession viewer = signedIn(Role.VIEWER);
        assertThat(viewer.get("/cmdb/import").status()).isEqualTo(403);
        String m = marker();
        assertThat(upload(viewer, "Application", "name\n" + m + "\n").status()).isEqualTo(403);
        assertThat(viewer.post("/cmdb/import/commit", Map.of("token", "x"), viewer.get("/cmdb/cis").csrfToken()).status())
                .isEqualTo(403);
        assertThat(count("Application", m)).isZero();
        assertThat(viewer.get("/cmdb/cis").body()).doesNotContain("href=\"/cmdb/import\"")
                .contains("href=\"/cmdb/export/Server?format=csv\"");
    }

    @Test
    void servesTheTemplateAndTheExportsToTheSession() {
        String m = marker();
        cis.create(CreateCi.of("Application", m + "-exported", Map.of("url", "https://x.example.com")),
                ChangeContext.api("test", null));
        WebSession viewer = signedIn(Role.VIEWER);
        var template = viewer.get("/cmdb/import/template?class=Application");
        assertThat(template.status()).isEqualTo(200);
        assertThat(template.header("Content-Type")).startsWith("text/csv");
        assertThat(template.body()).startsWith("name,state,owner_team,tags,").contains("url,").endsWith("\r\n")
                .hasLineCount(1);
        assertThat(viewer.get("/cmdb/import/template?class=NoSuch").status()).isEqualTo(404);

        var csv = viewer.get("/cmdb/export/Application?format=csv");
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.header("Content-Disposition")).contains("Application.csv");
        assertThat(csv.body()).startsWith("id,name,state,owner_team,tags").contains(m + "-exported");
        var json = viewer.get("/cmdb/export/Application?format=json");
        assertThat(json.body()).startsWith("[").contains("\"name\":\"" + m + "-exported\"");
        assertThat(viewer.get("/cmdb/export/Application?format=xml").status()).isEqualTo(400);
    }
}
