package io.opsbase.cmdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import io.opsbase.auth.Role;
import io.opsbase.testing.TestUsers;
import io.opsbase.testing.WebSession;

/**
 * Relations and the impact graph on the CMDB pages, through their real forms and endpoints:
 * adding and removing relations (rules and errors inline, history on both ends), the candidate
 * search, what viewers may do, and the impact page with its JSON for the chart.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import({TestUsers.class, RelationFixtures.class})
class RelationAndImpactPagesTest {

    @LocalServerPort
    int port;

    @Autowired
    TestUsers testUsers;

    @Autowired
    RelationFixtures fixtures;

    @Autowired
    RelationService relations;

    @Autowired
    ImpactService impact;

    private WebSession signedIn(Role role) {
        WebSession session = WebSession.at(port).header("Accept-Language", "en");
        assertThat(session.login(testUsers.createUser(role), TestUsers.PASSWORD).location()).isEqualTo("/");
        return session;
    }

    private WebSession.Page addRelation(WebSession session, long ciId, String relation, Long target) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("relation", relation);
        if (target != null) {
            fields.put("target", Long.toString(target));
        }
        return session.post("/cmdb/cis/" + ciId + "/relations", fields, session.get("/cmdb/cis/" + ciId).csrfToken());
    }

    @Test
    void addsARelationFromTheFormAndShowsItOnBothEndsAndInTheirHistory() {
        long app = fixtures.ci("Application", "shop");
        long server = fixtures.ci("Server", "host");
        WebSession operator = signedIn(Role.OPERATOR);

        var added = addRelation(operator, app, "outgoing:runs_on", server);
        assertThat(added.status()).as(added.toString()).isEqualTo(302);
        assertThat(added.location()).isEqualTo("/cmdb/cis/" + app);
        assertThat(relations.relationsOf(app)).singleElement()
                .satisfies(r -> assertThat(r.targetId()).isEqualTo(server));

        String appPage = operator.get("/cmdb/cis/" + app).body();
        assertThat(appPage).contains("Relation to " + fixtures.nameOf(server) + " added.")
                .contains("data-relation-group=\"outgoing:runs_on\"")
                .contains("data-related-ci=\"" + fixtures.nameOf(server) + "\"")
                .contains("data-field=\"relation.runs_on-&gt;" + server + "\"").contains("relation added");
        String serverPage = operator.get("/cmdb/cis/" + server).body();
        assertThat(serverPage).contains("data-relation-group=\"incoming:runs_on\"")
                .contains("data-related-ci=\"" + fixtures.nameOf(app) + "\"")
                .contains("data-field=\"relation.runs_on&lt;-" + app + "\"");

        // The same relation entered from the other end, as incoming.
        long vm = fixtures.ci("VirtualMachine", "vm");
        assertThat(addRelation(operator, server, "incoming:runs_on", vm).status()).isEqualTo(302);
        assertThat(relations.relationsOf(vm)).singleElement()
                .satisfies(r -> assertThat(r.direction()).isEqualTo("outgoing"));
    }

    @Test
    void showsWhyARelationIsRefusedNextToTheFieldAndAddsNothing() {
        long app = fixtures.ci("Application", "refused");
        long server = fixtures.ci("Server", "refused-host");
        WebSession operator = signedIn(Role.OPERATOR);

        var notAllowed = addRelation(operator, app, "outgoing:hosted_in", server);
        assertThat(notAllowed.status()).isEqualTo(422);
        assertThat(notAllowed.body()).contains("id=\"relation-kind-error\"")
                .contains("This kind of relation is not allowed between Application and Server.")
                .contains("<details class=\"add-relation\" open");

        var noTarget = addRelation(operator, app, "outgoing:runs_on", null);
        assertThat(noTarget.status()).isEqualTo(422);
        assertThat(noTarget.body()).contains("id=\"relation-target-error\"").contains("Choose the other item.");

        var missing = addRelation(operator, app, "outgoing:runs_on", 987_654_321L);
        assertThat(missing.body()).contains("No item has id 987654321.");

        var self = addRelation(operator, app, "outgoing:depends_on", app);
        assertThat(self.status()).isEqualTo(422);
        assertThat(self.body()).contains("An item cannot be related to itself.");

        var noKind = addRelation(operator, app, "sideways:runs_on", server);
        assertThat(noKind.body()).contains("Choose a relation.");
        assertThat(relations.relationsOf(app)).isEmpty();

        assertThat(addRelation(operator, app, "outgoing:runs_on", server).status()).isEqualTo(302);
        var twice = addRelation(operator, app, "outgoing:runs_on", server);
        assertThat(twice.status()).isEqualTo(422);
        assertThat(twice.body()).contains("This relation to " + fixtures.nameOf(server) + " exists already.")
                .contains("value=\"" + server + "\" checked>");
        assertThat(relations.relationsOf(app)).hasSize(1);
    }

    @Test
    void offersOnlyCandidatesOfAllowedClassesThatMatchTheText() {
        String marker = "cand" + Long.toHexString(System.nanoTime());
        long app = fixtures.ci("Application", marker + "-app");
        long server = fixtures.ci("Server", marker + "-srv");
        long vm = fixtures.ci("VirtualMachine", marker + "-vm");
        long database = fixtures.ci("Database", marker + "-db");
        long related = fixtures.ci("Server", marker + "-used");
        relations.add(app, "runs_on", related, RelationFixtures.CTX);
        WebSession operator = signedIn(Role.OPERATOR);

        String runsOn = operator.get("/cmdb/cis/" + app + "/relations/candidates?relation=outgoing:runs_on&q=" + marker).body();
        assertThat(runsOn).contains("value=\"" + server + "\"").contains("value=\"" + vm + "\"")
                .doesNotContain("value=\"" + database + "\"").doesNotContain("value=\"" + related + "\"")
                .doesNotContain("value=\"" + app + "\"");
        String dependsOn = operator.get("/cmdb/cis/" + app + "/relations/candidates?relation=outgoing:depends_on&q=" + marker).body();
        assertThat(dependsOn).contains("value=\"" + database + "\"").doesNotContain("value=\"" + server + "\"");
        assertThat(operator.get("/cmdb/cis/" + app + "/relations/candidates?relation=&q=" + marker).body())
                .contains("Choose a relation, then type").doesNotContain("type=\"radio\"");
        assertThat(operator.get("/cmdb/cis/" + app + "/relations/candidates?relation=outgoing:runs_on&q=zz-nothing-" + marker)
                .body()).contains("No item of an allowed class matches.");

        // The select offers only kinds the rules allow for an Application.
        String page = operator.get("/cmdb/cis/" + app).body();
        assertThat(page).contains("value=\"outgoing:runs_on\"").contains("value=\"incoming:depends_on\"")
                .doesNotContain("value=\"outgoing:hosted_in\"");
    }

    @Test
    void removesARelationAndRecordsItInTheHistory() {
        long app = fixtures.ci("Application", "rm");
        long server = fixtures.ci("Server", "rm-host");
        Relation relation = relations.add(app, "runs_on", server, RelationFixtures.CTX);
        WebSession operator = signedIn(Role.OPERATOR);

        var removed = operator.post("/cmdb/cis/" + server + "/relations/" + relation.id() + "/remove", Map.of(),
                operator.get("/cmdb/cis/" + server).csrfToken());
        assertThat(removed.location()).isEqualTo("/cmdb/cis/" + server);
        assertThat(relations.relationsOf(app)).isEmpty();
        assertThat(fixtures.historyRows(app, RelationService.outgoingField("runs_on", server))).isEqualTo(2);
        assertThat(operator.get("/cmdb/cis/" + server).body()).contains("Relation to " + fixtures.nameOf(app) + " removed.")
                .contains("No relations yet.").contains("relation removed");

        var again = operator.post("/cmdb/cis/" + server + "/relations/" + relation.id() + "/remove", Map.of(),
                operator.get("/cmdb/cis/" + server).csrfToken());
        assertThat(again.status()).isEqualTo(404);
    }

    @Test
    void letsViewersSeeRelationsButNotChangeThem() {
        long app = fixtures.ci("Application", "ro");
        long server = fixtures.ci("Server", "ro-host");
        Relation relation = relations.add(app, "runs_on", server, RelationFixtures.CTX);
        long other = fixtures.ci("Server", "ro-other");
        WebSession viewer = signedIn(Role.VIEWER);

        var page = viewer.get("/cmdb/cis/" + app);
        assertThat(page.body()).contains("data-related-ci=\"" + fixtures.nameOf(server) + "\"")
                .doesNotContain("id=\"relation-form\"").doesNotContain("/remove\"");
        assertThat(addRelation(viewer, app, "outgoing:runs_on", other).status()).isEqualTo(403);
        assertThat(viewer.post("/cmdb/cis/" + app + "/relations/" + relation.id() + "/remove", Map.of(),
                page.csrfToken()).status()).isEqualTo(403);
        assertThat(viewer.get("/cmdb/cis/" + app + "/relations/candidates?relation=outgoing:runs_on").status())
                .isEqualTo(403);
        assertThat(relations.relationsOf(app)).hasSize(1);
    }

    @Test
    void drawsTheImpactPageWithItsBusinessServicesAndServesTheGraphAsJson() {
        long server = fixtures.ci("Server", "impact-host");
        long app = fixtures.ci("Application", "impact-app");
        long service = fixtures.ci("BusinessService", "impact-service");
        relations.add(app, "runs_on", server, RelationFixtures.CTX);
        relations.add(service, "depends_on", app, RelationFixtures.CTX);
        WebSession viewer = signedIn(Role.VIEWER);

        String detail = viewer.get("/cmdb/cis/" + server).body();
        assertThat(detail).contains("id=\"impact\"").contains("data-impact-graph")
                .contains("data-graph-url=\"/cmdb/cis/" + server + "/impact/graph?direction=downstream&amp;depth=3\"")
                .contains("/webjars/echarts/5.3.1/dist/echarts.min.js").contains("/js/cmdb-graph.js")
                .contains("If this item fails, 2 items within 3 steps are affected");

        var page = viewer.get("/cmdb/cis/" + server + "/impact?direction=downstream&depth=2");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("data-service=\"" + fixtures.nameOf(service) + "\"")
                .contains("2 items affected within 2 steps").contains("value=\"2\" selected=\"selected\"");
        assertThat(viewer.get("/cmdb/cis/" + server + "/impact?direction=downstream&depth=1").body())
                .doesNotContain("data-service=\"").contains("No business service is reached.");
        assertThat(viewer.get("/cmdb/cis/" + server + "/impact?depth=99").body()).contains("value=\"6\" selected=\"selected\"");

        var json = viewer.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                "http://127.0.0.1:" + port + "/cmdb/cis/" + server + "/impact/graph?direction=downstream&depth=2")).GET(),
                Map.of("Accept", "application/json"));
        assertThat(json.status()).isEqualTo(200);
        assertThat(json.header("Content-Type")).startsWith("application/json");
        ImpactGraph expected = impact.analyse(server, ImpactDirection.DOWNSTREAM, 2);
        assertThat(json.body()).contains("\"root\":{\"id\":" + server)
                .contains("{\"source\":" + app + ",\"target\":" + server + ",\"type\":\"runs_on\"}")
                .contains("{\"source\":" + service + ",\"target\":" + app + ",\"type\":\"depends_on\"}");
        assertThat(expected.nodes()).hasSize(2);

        var upstream = viewer.get("/cmdb/cis/" + service + "/impact/graph?direction=upstream&depth=6");
        assertThat(upstream.body()).contains("\"id\":" + server);
        assertThat(viewer.get("/cmdb/cis/" + server + "/impact/graph?depth=7").status()).isEqualTo(400);
        assertThat(viewer.get("/cmdb/cis/" + server + "/impact/graph?direction=sideways").status()).isEqualTo(400);
        assertThat(viewer.get("/cmdb/cis/987654321/impact/graph").status()).isEqualTo(404);
        assertThat(WebSession.at(port).get("/cmdb/cis/" + server + "/impact/graph").status()).isEqualTo(302);
    }

    @Test
    void drawsNoGraphWhenNothingIsReachedAndNoInlineGraphWhenTooManyAre() {
        long lonely = fixtures.ci("Server", "lonely");
        WebSession viewer = signedIn(Role.VIEWER);
        assertThat(viewer.get("/cmdb/cis/" + lonely).body()).contains("Nothing recorded in the CMDB depends on this item")
                .doesNotContain("data-impact-graph").doesNotContain("echarts.min.js");
        assertThat(viewer.get("/cmdb/cis/" + lonely + "/impact").body())
                .contains("Nothing recorded in the CMDB depends on this item.").doesNotContain("data-impact-graph");

        long host = fixtures.ci("Server", "crowded");
        for (int i = 0; i <= CiDetailPage.GRAPH_LIMIT; i++) {
            relations.add(fixtures.ci("VirtualMachine", "guest"), "runs_on", host, RelationFixtures.CTX);
        }
        String detail = viewer.get("/cmdb/cis/" + host).body();
        assertThat(detail).contains("id=\"impact-too-large\"").doesNotContain("data-impact-graph")
                .doesNotContain("echarts.min.js").contains("/cmdb/cis/" + host + "/impact");
        assertThat(viewer.get("/cmdb/cis/" + host + "/impact").body()).contains("data-impact-graph")
                .contains((CiDetailPage.GRAPH_LIMIT + 1) + " items affected within 3 steps");
    }

    @Test
    void speaksChineseOnTheRelationImpactAndImportPages() {
        long app = fixtures.ci("Application", "zh-app");
        long server = fixtures.ci("Server", "zh-host");
        relations.add(app, "runs_on", server, RelationFixtures.CTX);
        WebSession operator = signedIn(Role.OPERATOR).header("Accept-Language", "zh-CN");
        assertThat(operator.get("/cmdb/cis/" + app).body()).contains("共 1 条关系").contains("运行于").contains("添加关系")
                .contains("3 层以内，CMDB 中没有依赖此配置项的内容。").doesNotContain("??");
        assertThat(operator.get("/cmdb/cis/" + server + "/impact").body()).contains("下游").contains("上游")
                .contains("3 层以内受影响的配置项：1 个").contains("业务服务");
        assertThat(operator.get("/cmdb/import").body()).contains("检查文件").contains("模板（仅表头）");
        assertThat(addRelation(operator, app, "outgoing:runs_on", null).body()).contains("请选择另一个配置项。");
    }
}
