package io.opsbase.cmdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import io.opsbase.auth.Role;
import io.opsbase.testing.ApiClient;
import io.opsbase.testing.TestUsers;
import tools.jackson.databind.JsonNode;

/**
 * Impact over a small hand-made estate with a dependency cycle (app ⇄ app2):
 *
 * <pre>
 * dc ← hosted_in ← rack ← hosted_in ← srv1, srv2, sw        srv1 connects_to sw
 * srv1 ← runs_on ← vm ← runs_on ← app                       srv1 member_of cluster
 * srv2 ← runs_on ← db ← depends_on ← app                    app depends_on app2, app2 depends_on app
 * bs depends_on app2                                        bs2 depends_on db
 * </pre>
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import({TestUsers.class, RelationFixtures.class})
class ImpactApiTest {

    @LocalServerPort
    int port;

    @Autowired
    TestUsers users;

    @Autowired
    RelationFixtures fixtures;

    @Autowired
    RelationService relations;

    ApiClient viewer;
    long dc, rack, srv1, srv2, sw, cluster, vm, app, app2, db, bs, bs2;

    @BeforeEach
    void estate() {
        viewer = ApiClient.at(port).withBearer(users.tokenFor(Role.VIEWER));
        dc = fixtures.ci("Datacenter", "dc");
        rack = fixtures.ci("Rack", "rack");
        srv1 = fixtures.ci("Server", "srv1");
        srv2 = fixtures.ci("Server", "srv2");
        sw = fixtures.ci("NetworkDevice", "sw");
        cluster = fixtures.ci("ComputeCluster", "cluster");
        vm = fixtures.ci("VirtualMachine", "vm");
        app = fixtures.ci("Application", "app");
        app2 = fixtures.ci("Application", "app2");
        db = fixtures.ci("Database", "db");
        bs = fixtures.ci("BusinessService", "bs");
        bs2 = fixtures.ci("BusinessService", "bs2");
        relate(rack, "hosted_in", dc);
        relate(srv1, "hosted_in", rack);
        relate(srv2, "hosted_in", rack);
        relate(sw, "hosted_in", rack);
        relate(srv1, "connects_to", sw);
        relate(srv1, "member_of", cluster);
        relate(vm, "runs_on", srv1);
        relate(app, "runs_on", vm);
        relate(db, "runs_on", srv2);
        relate(app, "depends_on", db);
        relate(app, "depends_on", app2);
        relate(app2, "depends_on", app);
        relate(bs, "depends_on", app2);
        relate(bs2, "depends_on", db);
    }

    @Test
    void walksDownstreamFromAServerThroughTheCycleToTheBusinessService() {
        JsonNode r = impact(srv1, "downstream", 10);
        assertThat(r.get("root").get("id").asLong()).isEqualTo(srv1);
        assertThat(r.get("root").get("class").asString()).isEqualTo("Server");
        assertThat(nodes(r)).containsExactly(
                node(Math.min(vm, cluster), 1), node(Math.max(vm, cluster), 1), node(app, 2), node(app2, 3), node(bs, 4));
        assertThat(edges(r)).containsExactlyElementsOf(sorted(
                edge(vm, srv1, "runs_on"), edge(srv1, cluster, "member_of"), edge(app, vm, "runs_on"),
                edge(app2, app, "depends_on"), edge(bs, app2, "depends_on"), edge(app, app2, "depends_on")));
        assertThat(ids(r.get("businessServices"))).containsExactly(bs);
        assertThat(r.get("nodes").get(0).get("name").asString()).isNotBlank();
    }

    @Test
    void stopsAtTheDepthLimitAndDoesNotExpandTheLastLevel() {
        JsonNode r = impact(srv1, "downstream", 2);
        assertThat(nodes(r)).containsExactly(
                node(Math.min(vm, cluster), 1), node(Math.max(vm, cluster), 1), node(app, 2));
        assertThat(edges(r)).containsExactlyElementsOf(sorted(
                edge(vm, srv1, "runs_on"), edge(srv1, cluster, "member_of"), edge(app, vm, "runs_on")));
        assertThat(r.get("businessServices")).isEmpty();
    }

    @Test
    void reportsEveryBusinessServiceARackFailureReachesNearestFirst() {
        JsonNode r = impact(rack, "downstream", 10);
        assertThat(nodes(r)).containsExactly(
                node(srv1, 1), node(srv2, 1), node(sw, 1),
                node(cluster, 2), node(vm, 2), node(db, 2),
                node(app, 3), node(bs2, 3),
                node(app2, 4),
                node(bs, 5));
        assertThat(ids(r.get("businessServices"))).containsExactly(bs2, bs);
        assertThat(edges(r)).contains(edge(srv1, sw, "connects_to"), edge(app, db, "depends_on"));
        assertThat(edges(r)).doesNotContain(edge(rack, dc, "hosted_in"));
    }

    @Test
    void walksUpstreamFromABusinessServiceToTheDataCentre() {
        JsonNode r = impact(bs, "upstream", 10);
        assertThat(nodes(r)).containsExactly(
                node(app2, 1), node(app, 2), node(vm, 3), node(db, 3), node(srv1, 4), node(srv2, 4),
                node(rack, 5), node(sw, 5), node(dc, 6));
        assertThat(edges(r)).containsExactlyElementsOf(sorted(
                edge(bs, app2, "depends_on"), edge(app2, app, "depends_on"), edge(app, vm, "runs_on"),
                edge(app, db, "depends_on"), edge(app, app2, "depends_on"), edge(vm, srv1, "runs_on"),
                edge(db, srv2, "runs_on"), edge(srv1, rack, "hosted_in"), edge(srv1, sw, "connects_to"),
                edge(srv2, rack, "hosted_in"), edge(rack, dc, "hosted_in"), edge(sw, rack, "hosted_in")));
        assertThat(ids(r.get("businessServices"))).containsExactly(bs);
        assertThat(r.get("direction").asString()).isEqualTo("upstream");
    }

    @Test
    void defaultsToDownstreamAtDepthThree() {
        JsonNode r = viewer.get("/api/v1/cis/" + srv1 + "/impact").json();
        assertThat(r.get("direction").asString()).isEqualTo("downstream");
        assertThat(r.get("depth").asInt()).isEqualTo(3);
        assertThat(nodes(r)).containsExactly(
                node(Math.min(vm, cluster), 1), node(Math.max(vm, cluster), 1), node(app, 2), node(app2, 3));
    }

    @Test
    void neitherReachesNorWalksThroughRetiredCis() {
        fixtures.retire(vm);
        JsonNode r = impact(srv1, "downstream", 10);
        assertThat(nodes(r)).containsExactly(node(cluster, 1));
    }

    @Test
    void answersTheSameGraphEveryTime() {
        assertThat(viewer.get("/api/v1/cis/" + rack + "/impact?depth=10").body())
                .isEqualTo(viewer.get("/api/v1/cis/" + rack + "/impact?depth=10").body());
    }

    @Test
    void rejectsAMissingCiABadDirectionAndADepthOutOfRange() {
        assertThat(viewer.get("/api/v1/cis/987654321/impact").status()).isEqualTo(404);
        var badDirection = viewer.get("/api/v1/cis/" + srv1 + "/impact?direction=sideways");
        assertThat(badDirection.status()).isEqualTo(400);
        assertThat(badDirection.contentType()).startsWith("application/problem+json");
        assertThat(viewer.get("/api/v1/cis/" + srv1 + "/impact?depth=11").status()).isEqualTo(400);
        assertThat(viewer.get("/api/v1/cis/" + srv1 + "/impact?depth=0").status()).isEqualTo(400);
        assertThat(viewer.get("/api/v1/cis/" + srv1 + "/impact?depth=x").status()).isEqualTo(400);
    }

    private void relate(long source, String type, long target) {
        relations.add(source, type, target, RelationFixtures.CTX);
    }

    private JsonNode impact(long id, String direction, int depth) {
        var r = viewer.get("/api/v1/cis/" + id + "/impact?direction=" + direction + "&depth=" + depth);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    private static List<String> nodes(JsonNode graph) {
        return graph.get("nodes").valueStream().map(n -> node(n.get("id").asLong(), n.get("depth").asInt())).toList();
    }

    private static String node(long id, int depth) {
        return id + "@" + depth;
    }

    private static List<Long> ids(JsonNode array) {
        return array.valueStream().map(n -> n.get("id").asLong()).toList();
    }

    private static List<String> edges(JsonNode graph) {
        return graph.get("edges").valueStream()
                .map(e -> edge(e.get("source").asLong(), e.get("target").asLong(), e.get("type").asString())).toList();
    }

    private static String edge(long source, long target, String type) {
        return String.format("%012d>%012d:%s", source, target, type);
    }

    /** The service orders edges by source, target, type; zero-padded ids make string order the same. */
    private static List<String> sorted(String... edges) {
        return java.util.Arrays.stream(edges).sorted().toList();
    }
}
