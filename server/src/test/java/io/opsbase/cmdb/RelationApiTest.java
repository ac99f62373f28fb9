package io.opsbase.cmdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

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
class RelationApiTest {

    @LocalServerPort
    int port;

    @Autowired
    TestUsers users;

    @Autowired
    RelationFixtures fixtures;

    @Autowired
    JdbcClient jdbc;

    ApiClient operator;
    String operatorName;

    @BeforeEach
    void operator() {
        operator = ApiClient.at(port).withBearer(users.tokenFor(Role.OPERATOR));
        operatorName = operator.get("/api/v1/me").json().get("username").asString();
    }

    @Test
    void listsTheSixRelationTypesWithDirectionLabelsAndRules() {
        var r = operator.get("/api/v1/relation-types");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("items").valueStream().map(t -> t.get("name").asString()))
                .containsExactly("connects_to", "contains", "depends_on", "hosted_in", "member_of", "runs_on");
        JsonNode runsOn = r.json().get("items").get(5);
        assertThat(runsOn.get("label").asString()).isEqualTo("runs on");
        assertThat(runsOn.get("inverseLabel").asString()).isEqualTo("runs");
        assertThat(runsOn.get("impactFlow").asString()).isEqualTo("to_source");
        assertThat(runsOn.get("rules").valueStream().map(x -> x.get("sourceClass").asString() + ">" + x.get("targetClass").asString()))
                .contains("Application>Server", "VirtualMachine>Server");
    }

    @Test
    void relatesApplicationToServerAndShowsItFromBothSides() {
        long app = fixtures.ci("Application", "shop");
        long server = fixtures.ci("Server", "web");

        var created = operator.post("/api/v1/cis/" + app + "/relations", Map.of("type", "runs_on", "target", server));
        assertThat(created.status()).isEqualTo(201);
        long relId = created.json().get("id").asLong();
        assertThat(created.header("Location")).isEqualTo("/api/v1/cis/" + app + "/relations/" + relId);

        JsonNode fromApp = operator.get("/api/v1/cis/" + app + "/relations").json().get("items");
        assertThat(fromApp).hasSize(1);
        assertThat(fromApp.get(0).get("type").asString()).isEqualTo("runs_on");
        assertThat(fromApp.get(0).get("direction").asString()).isEqualTo("outgoing");
        assertThat(fromApp.get(0).get("ci").get("id").asLong()).isEqualTo(server);
        assertThat(fromApp.get(0).get("ci").get("class").asString()).isEqualTo("Server");
        assertThat(fromApp.get(0).get("ci").get("name").asString()).isEqualTo(fixtures.nameOf(server));
        assertThat(fromApp.get(0).get("ci").get("state").asString()).isEqualTo("planned");

        JsonNode fromServer = operator.get("/api/v1/cis/" + server + "/relations").json().get("items");
        assertThat(fromServer).hasSize(1);
        assertThat(fromServer.get(0).get("direction").asString()).isEqualTo("incoming");
        assertThat(fromServer.get(0).get("label").asString()).isEqualTo("runs");
        assertThat(fromServer.get(0).get("ci").get("id").asLong()).isEqualTo(app);
    }

    @Test
    void rejectsAClassPairTheTypeDoesNotAllowAndStoresNothing() {
        long server = fixtures.ci("Server", "db-host");
        long app = fixtures.ci("Application", "crm");

        var r = operator.post("/api/v1/cis/" + server + "/relations", Map.of("type", "runs_on", "target", app));
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().get("errors").get(0).get("field").asString()).isEqualTo("type");
        assertThat(r.json().get("errors").get(0).get("message").asString()).contains("Server -> Application");
        assertThat(operator.get("/api/v1/cis/" + server + "/relations").json().get("items")).isEmpty();
    }

    @Test
    void acceptsAnyClassPairWhereTheRuleIsAWildcard() {
        long server = fixtures.ci("Server", "node");
        long cluster = fixtures.ci("ComputeCluster", "cluster");
        assertThat(operator.post("/api/v1/cis/" + server + "/relations", Map.of("type", "member_of", "target", cluster))
                .status()).isEqualTo(201);
    }

    @Test
    void rejectsUnknownTypeMissingTargetAndSelfRelation() {
        long app = fixtures.ci("Application", "billing");
        long db = fixtures.ci("Database", "billing-db");
        assertThat(operator.post("/api/v1/cis/" + app + "/relations", Map.of("type", "likes", "target", db)).status())
                .isEqualTo(422);
        assertThat(operator.post("/api/v1/cis/" + app + "/relations", Map.of("type", "depends_on")).json()
                .get("errors").get(0).get("field").asString()).isEqualTo("target");
        assertThat(operator.post("/api/v1/cis/" + app + "/relations", Map.of("type", "depends_on", "target", app))
                .status()).isEqualTo(422);
    }

    @Test
    void answersNotFoundForAMissingSourceOrTargetCi() {
        long app = fixtures.ci("Application", "lonely");
        var missingTarget = operator.post("/api/v1/cis/" + app + "/relations", Map.of("type", "runs_on", "target", 987654321L));
        assertThat(missingTarget.status()).isEqualTo(404);
        assertThat(missingTarget.json().get("type").asString()).isEqualTo("/problems/not-found");
        assertThat(operator.post("/api/v1/cis/987654321/relations", Map.of("type", "runs_on", "target", app)).status())
                .isEqualTo(404);
        assertThat(operator.get("/api/v1/cis/987654321/relations").status()).isEqualTo(404);
    }

    @Test
    void answersConflictForADuplicateRelation() {
        long app = fixtures.ci("Application", "dup");
        long db = fixtures.ci("Database", "dup-db");
        assertThat(operator.post("/api/v1/cis/" + app + "/relations", Map.of("type", "depends_on", "target", db)).status())
                .isEqualTo(201);
        var again = operator.post("/api/v1/cis/" + app + "/relations", Map.of("type", "depends_on", "target", db));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("type").asString()).isEqualTo("/problems/relation-exists");
        assertThat(operator.get("/api/v1/cis/" + app + "/relations").json().get("items")).hasSize(1);
    }

    @Test
    void refusesNewRelationsToARetiredCi() {
        long app = fixtures.ci("Application", "old");
        long server = fixtures.ci("Server", "gone");
        fixtures.retire(server);
        assertThat(operator.post("/api/v1/cis/" + app + "/relations", Map.of("type", "runs_on", "target", server))
                .status()).isEqualTo(409);
    }

    @Test
    void recordsAddingAndRemovingInTheHistoryOfBothCisAndInTheAuditLog() {
        long app = fixtures.ci("Application", "hist");
        long server = fixtures.ci("Server", "hist-host");
        long relId = operator.post("/api/v1/cis/" + app + "/relations", Map.of("type", "runs_on", "target", server))
                .json().get("id").asLong();

        var sourceRow = historyRow(app, "relation.runs_on->" + server);
        assertThat(sourceRow.get("actor")).isEqualTo(operatorName);
        assertThat(sourceRow.get("source")).isEqualTo("api");
        assertThat(sourceRow.get("change_kind")).isEqualTo("relation");
        assertThat(sourceRow.get("before_value")).isNull();
        assertThat((String) sourceRow.get("after_value")).contains("\"id\":" + relId);
        assertThat(historyRow(server, "relation.runs_on<-" + app).get("actor")).isEqualTo(operatorName);

        assertThat(operator.delete("/api/v1/cis/" + server + "/relations/" + relId).status()).isEqualTo(204);
        assertThat(operator.get("/api/v1/cis/" + app + "/relations").json().get("items")).isEmpty();
        assertThat(fixtures.historyRows(app, "relation.runs_on->" + server)).isEqualTo(2);
        assertThat(fixtures.historyRows(server, "relation.runs_on<-" + app)).isEqualTo(2);

        var admin = ApiClient.at(port).withBearer(users.tokenFor(Role.ADMIN));
        JsonNode audit = admin.get("/api/v1/audit?action=relation.*&targetId=" + app).json().get("items");
        assertThat(audit.valueStream().map(a -> a.get("action").asString()))
                .containsExactly("relation.removed", "relation.added");
        assertThat(audit.get(1).get("actor").asString()).isEqualTo(operatorName);
    }

    @Test
    void answersNotFoundWhenDeletingARelationThroughACiItDoesNotTouch() {
        long app = fixtures.ci("Application", "a");
        long server = fixtures.ci("Server", "s");
        long other = fixtures.ci("Server", "other");
        long relId = operator.post("/api/v1/cis/" + app + "/relations", Map.of("type", "runs_on", "target", server))
                .json().get("id").asLong();
        assertThat(operator.delete("/api/v1/cis/" + other + "/relations/" + relId).status()).isEqualTo(404);
        assertThat(operator.delete("/api/v1/cis/" + app + "/relations/99999999").status()).isEqualTo(404);
        assertThat(operator.get("/api/v1/cis/" + app + "/relations").json().get("items")).hasSize(1);
    }

    @Test
    void letsViewersReadRelationsButNotChangeThem() {
        long app = fixtures.ci("Application", "ro");
        long server = fixtures.ci("Server", "ro-host");
        long relId = operator.post("/api/v1/cis/" + app + "/relations", Map.of("type", "runs_on", "target", server))
                .json().get("id").asLong();
        var viewer = ApiClient.at(port).withBearer(users.tokenFor(Role.VIEWER));
        assertThat(viewer.get("/api/v1/cis/" + app + "/relations").status()).isEqualTo(200);
        assertThat(viewer.get("/api/v1/relation-types").status()).isEqualTo(200);
        assertThat(viewer.post("/api/v1/cis/" + server + "/relations", Map.of("type", "connects_to", "target", app))
                .status()).isEqualTo(403);
        assertThat(viewer.delete("/api/v1/cis/" + app + "/relations/" + relId).status()).isEqualTo(403);
        assertThat(ApiClient.at(port).get("/api/v1/cis/" + app + "/relations").status()).isEqualTo(401);
        assertThat(operator.get("/api/v1/cis/" + app + "/relations").json().get("items")).hasSize(1);
    }

    private Map<String, Object> historyRow(long ciId, String field) {
        return jdbc.sql("select actor, source, change_kind, before_value, after_value from ci_history where ci_id = :id and field = :f")
                .param("id", ciId).param("f", field).query().singleRow();
    }
}
