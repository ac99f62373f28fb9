package io.opsbase.cmdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

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

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestUsers.class)
class CiComponentApiTest {

    @LocalServerPort
    int port;

    @Autowired
    TestUsers testUsers;

    ApiClient operator;

    @BeforeEach
    void operator() {
        operator = ApiClient.at(port).withBearer(testUsers.tokenFor(Role.OPERATOR));
    }

    long ci(String cls) {
        var r = operator.post("/api/v1/cis", Map.of("class", cls, "name", cls.toLowerCase() + "-" + System.nanoTime()));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("id").asLong();
    }

    List<String> historyFields(long id) {
        return operator.get("/api/v1/cis/" + id + "/history").json().get("items").valueStream()
                .map(h -> h.get("field").asString()).toList();
    }

    @Test
    void addsListsChangesAndRemovesComponentsRecordingEachInHistory() {
        long id = ci("Server");
        var added = operator.post("/api/v1/cis/" + id + "/components",
                Map.of("kind", "disk", "identity", "SN-D1", "attributes", Map.of("size_bytes", 960_000_000_000L, "model", "PM893")));
        assertThat(added.status()).as(added.body()).isEqualTo(201);
        long cid = added.json().get("id").asLong();
        assertThat(added.header("Location")).isEqualTo("/api/v1/cis/" + id + "/components/" + cid);

        var list = operator.get("/api/v1/cis/" + id + "/components").json();
        assertThat(list.get("items").size()).isEqualTo(1);
        assertThat(list.get("items").get(0).get("identity").asString()).isEqualTo("SN-D1");

        var patched = operator.patch("/api/v1/cis/" + id + "/components/" + cid, "{\"attributes\":{\"model\":\"PM897\",\"size_bytes\":null}}");
        assertThat(patched.status()).as(patched.body()).isEqualTo(200);
        assertThat(patched.json().get("attributes").has("size_bytes")).isFalse();

        assertThat(operator.delete("/api/v1/cis/" + id + "/components/" + cid).status()).isEqualTo(204);
        assertThat(operator.get("/api/v1/cis/" + id + "/components").json().get("items").size()).isZero();
        assertThat(historyFields(id)).contains("component.disk[SN-D1]", "component.disk[SN-D1].model",
                "component.disk[SN-D1].size_bytes");
        assertThat(operator.delete("/api/v1/cis/" + id + "/components/" + cid).status()).isEqualTo(404);
    }

    @Test
    void replacesAKindBySetMatchedByIdentity() {
        long id = ci("Server");
        operator.send("PUT", "/api/v1/cis/" + id + "/components?kind=memory", List.of(
                Map.of("identity", "DIMM_A1", "attributes", Map.of("size_gb", 32)),
                Map.of("identity", "DIMM_A2", "attributes", Map.of("size_gb", 32))));
        var diff = operator.send("PUT", "/api/v1/cis/" + id + "/components?kind=memory", List.of(
                Map.of("identity", "DIMM_A1", "attributes", Map.of("size_gb", 64)),
                Map.of("identity", "DIMM_B1", "attributes", Map.of("size_gb", 32))));
        assertThat(diff.status()).as(diff.body()).isEqualTo(200);
        assertThat(diff.json().get("added").get(0).asString()).isEqualTo("DIMM_B1");
        assertThat(diff.json().get("removed").get(0).asString()).isEqualTo("DIMM_A2");
        assertThat(diff.json().get("changed").get(0).asString()).isEqualTo("DIMM_A1");
        JsonNode change = operator.get("/api/v1/cis/" + id + "/history").json().get("items").valueStream()
                .filter(h -> h.get("field").asString().equals("component.memory[DIMM_A1].size_gb")).findFirst().orElseThrow();
        assertThat(change.get("before").asInt()).isEqualTo(32);
        assertThat(change.get("after").asInt()).isEqualTo(64);
        assertThat(change.get("changeKind").asString()).isEqualTo("component");

        long historyBefore = operator.get("/api/v1/cis/" + id + "/history").json().get("total").asLong();
        var same = operator.send("PUT", "/api/v1/cis/" + id + "/components?kind=memory", List.of(
                Map.of("identity", "DIMM_A1", "attributes", Map.of("size_gb", 64)),
                Map.of("identity", "DIMM_B1", "attributes", Map.of("size_gb", 32))));
        assertThat(same.json().get("added").isEmpty()).isTrue();
        assertThat(operator.get("/api/v1/cis/" + id + "/history").json().get("total").asLong()).isEqualTo(historyBefore);
    }

    @Test
    void rejectsComponentsOnNonHardwareClassesDuplicatesAndBadInput() {
        long app = ci("Application");
        var notHardware = operator.post("/api/v1/cis/" + app + "/components", Map.of("kind", "disk", "identity", "x"));
        assertThat(notHardware.status()).isEqualTo(409);
        assertThat(notHardware.json().get("type").asString()).isEqualTo("/problems/not-hardware");

        long server = ci("Server");
        var body = Map.of("kind", "nic", "identity", "00:11:22:33:44:55");
        assertThat(operator.post("/api/v1/cis/" + server + "/components", body).status()).isEqualTo(201);
        assertThat(operator.post("/api/v1/cis/" + server + "/components", body).status()).isEqualTo(409);
        var bad = operator.post("/api/v1/cis/" + server + "/components", Map.of("kind", "floppy", "identity", "",
                "attributes", Map.of("nested", Map.of("a", 1))));
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.json().get("errors").valueStream().map(e -> e.get("field").asString()).toList())
                .containsExactlyInAnyOrder("kind", "identity", "attributes.nested");
        assertThat(operator.get("/api/v1/cis/987654321/components").status()).isEqualTo(404);
    }

    @Test
    void viewerReadsComponentsButCannotChangeThem() {
        long server = ci("Server");
        var viewer = ApiClient.at(port).withBearer(testUsers.tokenFor(Role.VIEWER));
        assertThat(viewer.get("/api/v1/cis/" + server + "/components").status()).isEqualTo(200);
        assertThat(viewer.post("/api/v1/cis/" + server + "/components", Map.of("kind", "cpu", "identity", "CPU0")).status())
                .isEqualTo(403);
    }
}
