package io.opsbase.cmdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

import io.opsbase.auth.Role;
import io.opsbase.testing.ApiClient;
import io.opsbase.testing.TestUsers;
import tools.jackson.databind.JsonNode;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import({TestUsers.class, RelationFixtures.class})
class CiImportApiTest {

    private static final String HEADER = "name,state,owner_team,tags,cpu_count,ip_address,serial_number,env";

    @LocalServerPort
    int port;

    @Autowired
    TestUsers users;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    CiService cis;

    String operatorToken;
    String operatorName;
    String run;

    @BeforeEach
    void operator() {
        operatorToken = users.tokenFor(Role.OPERATOR);
        operatorName = ApiClient.at(port).withBearer(operatorToken).get("/api/v1/me").json().get("username").asString();
        run = UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void dryRunReportsEveryBadRowByLineNumberAndChangesNothing() {
        String csv = String.join("\r\n", HEADER,
                "web-a-" + run + ",in_use,web,prod eu,8,10.0.0.1,SNA" + run + ",prod",
                "web-b-" + run + ",,web,,many,10.0.0.2,SNB" + run + ",prod",
                "\"web-c-" + run + "\",,\"multi\nline team\",,4,10.0.0.999,SNC" + run + ",prod",
                "web-d-" + run + ",,web,,4,10.0.0.4,sna" + run + ",prod",
                "web-e-" + run + ",flying,web,,4,10.0.0.5,SNE" + run + ",moon",
                ",,web,,4,10.0.0.6,SNF" + run + ",prod",
                "web-g-" + run + ",,web",
                "web-h-" + run + ",,web,,4,10.0.0.8,SNH" + run + ",prod");

        var r = importCsv("Server", true, csv);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode report = ApiClient.JSON.readTree(r.body());
        assertThat(report.get("dryRun").asBoolean()).isTrue();
        assertThat(report.get("committed").asBoolean()).isFalse();
        assertThat(report.get("rows").asInt()).isEqualTo(8);
        assertThat(lines(report)).containsExactly(
                "3 cpu_count",
                "4 ip_address",
                "6 serial_number",
                "7 state,env",
                "8 name",
                "9 csv");
        assertThat(report.get("errors").get(2).get("errors").get(0).get("message").asString()).contains("line 2");
        assertThat(report.get("created").asInt()).isEqualTo(2);
        assertThat(countNamed("web-%-" + run)).isZero();
    }

    @Test
    void commitWritesNothingWhenAnyRowIsBadAndEverythingWhenAllAreGood() {
        String good1 = "db-a-" + run + ",,dba,db linux,16,10.1.0.1,SDA" + run + ",prod";
        String good2 = "db-b-" + run + ",,dba,,32,10.1.0.2,SDB" + run + ",staging";
        var rejected = importCsv("Server", false, String.join("\n", HEADER, good1, good2,
                "db-c-" + run + ",,dba,,x,10.1.0.3,SDC" + run + ",prod"));
        assertThat(rejected.statusCode()).isEqualTo(422);
        assertThat(rejected.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        JsonNode problem = ApiClient.JSON.readTree(rejected.body());
        assertThat(problem.get("type").asString()).isEqualTo("/problems/validation");
        assertThat(problem.get("lines").get(0).get("line").asInt()).isEqualTo(4);
        assertThat(problem.get("errors").get(0).get("field").asString()).isEqualTo("line 4: cpu_count");
        assertThat(countNamed("db-%-" + run)).isZero();

        var committed = importCsv("Server", false, String.join("\n", HEADER, good1, good2));
        assertThat(committed.statusCode()).isEqualTo(200);
        JsonNode report = ApiClient.JSON.readTree(committed.body());
        assertThat(report.get("committed").asBoolean()).isTrue();
        assertThat(report.get("created").asInt()).isEqualTo(2);
        assertThat(countNamed("db-%-" + run)).isEqualTo(2);

        long id = idNamed("db-a-" + run);
        var api = ApiClient.at(port).withBearer(operatorToken);
        JsonNode ci = api.get("/api/v1/cis/" + id).json();
        assertThat(ci.get("attributes").get("cpu_count").asLong()).isEqualTo(16);
        assertThat(ci.get("attributes").get("ip_address").asString()).isEqualTo("10.1.0.1");
        assertThat(ci.get("tags").valueStream().map(JsonNode::asString)).containsExactly("db", "linux");
        assertThat(ci.get("state").asString()).isEqualTo("planned");
        JsonNode history = api.get("/api/v1/cis/" + id + "/history").json().get("items");
        assertThat(history.get(0).get("source").asString()).isEqualTo("import");
        assertThat(history.get(0).get("actor").asString()).isEqualTo(operatorName);
        assertThat(history.get(0).get("changeKind").asString()).isEqualTo("created");
    }

    @Test
    void writesABulkCreatedCiExactlyAsTheFacadeWritesOne() {
        Map<String, Object> attributes = Map.of("cpu_count", 12, "ip_address", "10.9.8.7", "serial_number",
                "FAC" + run, "hostname", "twin-" + run, "memory_gb", 64.5, "purchase_date", "2024-02-29");
        long viaFacade = cis.create(new CreateCi("Server", "twin-f-" + run, attributes, "ops", List.of("b", "a"), null),
                new ChangeContext(operatorName, "import", null)).id();
        var r = importCsv("Server", false, "name,owner_team,tags,cpu_count,ip_address,serial_number,hostname,memory_gb,purchase_date\n"
                + "twin-i-" + run + ",ops,a b,12,10.9.8.7,IMP" + run + ",twin-" + run + ",64.5,2024-02-29\n");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        long viaImport = idNamed("twin-i-" + run);

        assertThat(values(viaImport)).isEqualTo(values(viaFacade).replace("fac" + run, "imp" + run));
        assertThat(row("select search_text, state, owner_team, version, attributes from cis where id = :id", viaImport))
                .isEqualTo(row("select search_text, state, owner_team, version, attributes from cis where id = :id", viaFacade)
                        .replace("twin-f-", "twin-i-").replace("FAC" + run, "IMP" + run).replace("fac" + run, "imp" + run));
        assertThat(row("select change_kind, field, before_value, after_value, ci_version, source from ci_history where ci_id = :id", viaImport))
                .isEqualTo(row("select change_kind, field, before_value, after_value, ci_version, source from ci_history where ci_id = :id", viaFacade)
                        .replace("twin-f-", "twin-i-").replace("FAC" + run, "IMP" + run));
        assertThat(row("select tag from ci_tags where ci_id = :id order by tag", viaImport))
                .isEqualTo(row("select tag from ci_tags where ci_id = :id order by tag", viaFacade));
    }

    @Test
    void exportsCsvThatImportsBackAsUpdatesAndJsonShapedLikeTheCiApi() {
        String tag = "rt" + run;
        assertThat(importCsv("Server", false, String.join("\n", HEADER,
                "rt-a-" + run + ",,web,\"" + tag + " x\",2,10.2.0.1,SRA" + run + ",prod",
                "rt-b-" + run + ",,web," + tag + ",4,,SRB" + run + ",dev",
                "\"rt-c-" + run + ", with comma\",,\"quote \"\"q\"\"\"," + tag + ",,10.2.0.3,,test")).statusCode()).isEqualTo(200);

        var csv = get("/api/v1/export/Server?format=csv");
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        List<String> lines = Arrays.asList(csv.body().split("\r\n"));
        String header = lines.getFirst();
        assertThat(header).startsWith("id,name,state,owner_team,tags,hostname,serial_number");
        List<String> ours = lines.stream().filter(l -> l.contains(tag)).toList();
        assertThat(ours).hasSize(3);

        String changed = ours.get(0).replace(",web,", ",platform,");
        var again = importCsv("Server", false, String.join("\r\n", header, changed, ours.get(1), ours.get(2)));
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        JsonNode report = ApiClient.JSON.readTree(again.body());
        assertThat(report.get("created").asInt()).isZero();
        assertThat(report.get("updated").asInt()).isEqualTo(1);
        assertThat(report.get("unchanged").asInt()).isEqualTo(2);
        long a = idNamed("rt-a-" + run);
        assertThat(ApiClient.at(port).withBearer(operatorToken).get("/api/v1/cis/" + a).json().get("ownerTeam").asString())
                .isEqualTo("platform");

        var json = get("/api/v1/export/Server?format=json");
        assertThat(json.statusCode()).isEqualTo(200);
        JsonNode items = ApiClient.JSON.readTree(json.body());
        JsonNode c = items.valueStream().filter(i -> i.get("name").asString().startsWith("rt-c-" + run)).findFirst().orElseThrow();
        assertThat(c.get("name").asString()).isEqualTo("rt-c-" + run + ", with comma");
        assertThat(c.get("ownerTeam").asString()).isEqualTo("quote \"q\"");
        assertThat(c.get("class").asString()).isEqualTo("Server");
        assertThat(c.get("attributes").get("env").asString()).isEqualTo("test");
        assertThat(c.get("attributes").has("cpu_count")).isFalse();
    }

    @Test
    void rejectsUpdatesOfUnknownOrForeignCisAndIllegalTransitions() {
        assertThat(importCsv("Server", false, HEADER + "\nup-" + run + ",,,,1,,,prod\n").statusCode()).isEqualTo(200);
        long id = idNamed("up-" + run);
        long app = cis.create(CreateCi.of("Application", "app-" + run, Map.of()), RelationFixtures.CTX).id();
        var r = importCsv("Server", true, "id,name,state\n"
                + id + ",up-" + run + ",retired\n"
                + "987654321,ghost,\n"
                + app + ",app,\n"
                + "abc,x,\n"
                + id + ",up-" + run + ",\n");
        JsonNode report = ApiClient.JSON.readTree(r.body());
        assertThat(lines(report)).containsExactly("2 state", "3 id", "4 id", "5 id", "6 id");
        assertThat(report.get("errors").get(0).get("errors").get(0).get("message").asString())
                .contains("cannot go from planned to retired");
    }

    @Test
    void reportsUnknownColumnsOnTheHeaderLineAndUnterminatedQuotes() {
        JsonNode report = ApiClient.JSON.readTree(importCsv("Server", true, "name,colour\nx,red\n").body());
        assertThat(lines(report)).containsExactly("1 colour");
        JsonNode broken = ApiClient.JSON.readTree(importCsv("Server", true, "name\n\"never closed\n").body());
        assertThat(lines(broken)).containsExactly("2 csv");
    }

    @Test
    void answersNotFoundForAnUnknownClassAndForbidsViewers() {
        assertThat(importCsv("NoSuchClass", true, "name\nx\n").statusCode()).isEqualTo(404);
        assertThat(get("/api/v1/export/NoSuchClass").statusCode()).isEqualTo(404);
        assertThat(get("/api/v1/export/Server?format=xml").statusCode()).isEqualTo(400);
        String viewer = users.tokenFor(Role.VIEWER);
        assertThat(send("POST", "/api/v1/import/Server?dryRun=false", viewer, "name\nv-" + run + "\n").statusCode())
                .isEqualTo(403);
        assertThat(send("GET", "/api/v1/export/Server", viewer, null).statusCode()).isEqualTo(200);
        assertThat(countNamed("v-" + run)).isZero();
    }

    private HttpResponse<String> importCsv(String className, boolean dryRun, String csv) {
        return send("POST", "/api/v1/import/" + className + "?dryRun=" + dryRun, operatorToken, csv);
    }

    private HttpResponse<String> get(String path) {
        return send("GET", path, operatorToken, null);
    }

    private HttpResponse<String> send(String method, String path, String token, String csv) {
        var b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + token)
                .method(method, csv == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(csv));
        if (csv != null) {
            b.header("Content-Type", "text/csv");
        }
        try {
            return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** "line field,field" per bad line. */
    private static List<String> lines(JsonNode report) {
        return report.get("errors").valueStream().map(l -> l.get("line").asInt() + " "
                + String.join(",", l.get("errors").valueStream().map(e -> e.get("field").asString()).toList())).toList();
    }

    private long countNamed(String pattern) {
        return jdbc.sql("select count(*) from cis where name like :p").param("p", pattern).query(Long.class).single();
    }

    private long idNamed(String name) {
        return jdbc.sql("select id from cis where name = :n").param("n", name).query(Long.class).single();
    }

    private String values(long id) {
        return jdbc.sql("select name, text_value, num_value, time_value from ci_values where ci_id = :id order by name")
                .param("id", id).query().listOfRows().toString();
    }

    private String row(String sql, long id) {
        return jdbc.sql(sql).param("id", id).query().listOfRows().toString();
    }
}
