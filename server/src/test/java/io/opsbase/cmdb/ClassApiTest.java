package io.opsbase.cmdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

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
class ClassApiTest {

    @LocalServerPort
    int port;

    @Autowired
    TestUsers testUsers;

    ApiClient admin;
    ApiClient operator;

    @BeforeEach
    void clients() {
        admin = ApiClient.at(port).withBearer(testUsers.tokenFor(Role.ADMIN));
        operator = ApiClient.at(port).withBearer(testUsers.tokenFor(Role.OPERATOR));
    }

    static String className() {
        return "Thing" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    String createClass(List<Map<String, Object>> attributes) {
        String name = className();
        var r = admin.post("/api/v1/classes", Map.of("name", name, "label", "Things", "attributes", attributes));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return name;
    }

    long createCi(String cls, Map<String, Object> attributes) {
        var r = operator.post("/api/v1/cis", Map.of("class", cls, "name", "ci-" + UUID.randomUUID(), "attributes", attributes));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("id").asLong();
    }

    @Test
    void listsTheBuiltInClassesWithTypedAttributes() {
        var r = operator.get("/api/v1/classes");
        assertThat(r.status()).isEqualTo(200);
        List<String> names = r.json().get("items").valueStream().map(c -> c.get("name").asString()).toList();
        assertThat(names).contains("Datacenter", "Rack", "Server", "VirtualMachine", "NetworkDevice", "StorageDevice",
                "Application", "Database", "BusinessService");
        JsonNode server = operator.get("/api/v1/classes/Server").json();
        assertThat(server.get("hardware").asBoolean()).isTrue();
        assertThat(server.get("builtin").asBoolean()).isTrue();
        JsonNode cpu = server.get("attributes").valueStream().filter(a -> a.get("name").asString().equals("cpu_count")).findFirst().orElseThrow();
        assertThat(cpu.get("type").asString()).isEqualTo("integer");
        assertThat(server.get("lifecycle").get("initial").asString()).isEqualTo("planned");
        assertThat(operator.get("/api/v1/classes/Application").json().get("hardware").asBoolean()).isFalse();
    }

    @Test
    void answersUnknownClassWithNotFound() {
        assertThat(operator.get("/api/v1/classes/Nope").status()).isEqualTo(404);
        assertThat(admin.patch("/api/v1/classes/Nope", "{\"label\":\"x\"}").status()).isEqualTo(404);
    }

    @Test
    void onlyAdminsWriteClasses() {
        String name = className();
        var body = Map.of("name", name, "attributes", List.of());
        assertThat(operator.post("/api/v1/classes", body).status()).isEqualTo(403);
        assertThat(ApiClient.at(port).withBearer(testUsers.tokenFor(Role.VIEWER)).post("/api/v1/classes", body).status()).isEqualTo(403);
        assertThat(operator.patch("/api/v1/classes/Server", "{\"label\":\"x\"}").status()).isEqualTo(403);
        assertThat(operator.post("/api/v1/classes/Server/attributes", Map.of("name", "x", "type", "string")).status()).isEqualTo(403);
        assertThat(operator.delete("/api/v1/classes/Server/attributes/os").status()).isEqualTo(403);
        assertThat(ApiClient.at(port).get("/api/v1/classes").status()).isEqualTo(401);
        assertThat(operator.get("/api/v1/classes/" + name).status()).isEqualTo(404);
    }

    @Test
    void createsUserDefinedClassWithEveryAttributeType() {
        String name = createClass(List.of(
                Map.of("name", "s", "type", "string", "pattern", "[a-z]+"),
                Map.of("name", "t", "type", "text"),
                Map.of("name", "i", "type", "integer", "defaultValue", 3),
                Map.of("name", "d", "type", "decimal"),
                Map.of("name", "b", "type", "boolean"),
                Map.of("name", "day", "type", "date"),
                Map.of("name", "at", "type", "datetime"),
                Map.of("name", "e", "type", "enum", "enumValues", List.of("x", "y")),
                Map.of("name", "ip", "type", "ip"),
                Map.of("name", "mac", "type", "mac"),
                Map.of("name", "u", "type", "url"),
                Map.of("name", "r", "type", "reference", "refClass", "Rack")));
        JsonNode cls = operator.get("/api/v1/classes/" + name).json();
        assertThat(cls.get("attributes").size()).isEqualTo(12);
        assertThat(cls.get("builtin").asBoolean()).isFalse();
        var ci = operator.post("/api/v1/cis", Map.of("class", name, "name", "one", "attributes", Map.of("s", "abc", "e", "x",
                "b", true, "day", "2026-01-01", "at", "2026-01-01T00:00:00Z", "ip", "::1", "mac", "00:00:00:00:00:01",
                "u", "https://example.org", "d", 2.5, "t", "long text")));
        assertThat(ci.status()).as(ci.body()).isEqualTo(201);
        assertThat(ci.json().get("attributes").get("i").asInt()).isEqualTo(3);
    }

    @Test
    void rejectsBadClassDefinitionsOneEntryPerField() {
        var r = admin.post("/api/v1/classes", Map.of("name", "lower", "attributes", List.of(
                Map.of("name", "a", "type", "float"),
                Map.of("name", "b", "type", "enum"),
                Map.of("name", "c", "type", "string", "pattern", "(unclosed"),
                Map.of("name", "d", "type", "reference", "refClass", "Nowhere"),
                Map.of("name", "e", "type", "integer", "defaultValue", "x"))));
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.json().get("errors").valueStream().map(e -> e.get("field").asString()).toList())
                .containsExactlyInAnyOrder("name", "attributes[0].type", "attributes[1].enumValues", "attributes[2].pattern",
                        "attributes[3].refClass", "attributes[4].defaultValue");
    }

    @Test
    void rejectsDuplicateClassName() {
        var r = admin.post("/api/v1/classes", Map.of("name", "Server"));
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.json().get("type").asString()).isEqualTo("/problems/duplicate-class");
    }

    @Test
    void addsAnAttributeToAClassInUse() {
        String name = createClass(List.of(Map.of("name", "size", "type", "integer")));
        long ci = createCi(name, Map.of("size", 1));
        var r = admin.post("/api/v1/classes/" + name + "/attributes", Map.of("name", "colour", "type", "enum",
                "enumValues", List.of("red", "blue")));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        var patched = operator.patch("/api/v1/cis/" + ci, "{\"attributes\":{\"colour\":\"red\"}}");
        assertThat(patched.status()).as(patched.body()).isEqualTo(200);
        assertThat(admin.post("/api/v1/classes/" + name + "/attributes", Map.of("name", "colour", "type", "string")).status())
                .isEqualTo(422);
    }

    @Test
    void aRequiredAttributeAddedToAClassInUseNeedsADefaultWhichExistingCisReceive() {
        String name = createClass(List.of());
        long ci = createCi(name, Map.of());
        var noDefault = admin.post("/api/v1/classes/" + name + "/attributes", Map.of("name", "site", "type", "string", "required", true));
        assertThat(noDefault.status()).isEqualTo(422);
        assertThat(noDefault.json().get("errors").get(0).get("field").asString()).isEqualTo("attribute.defaultValue");

        var withDefault = admin.post("/api/v1/classes/" + name + "/attributes",
                Map.of("name", "site", "type", "string", "required", true, "defaultValue", "hq"));
        assertThat(withDefault.status()).isEqualTo(201);
        JsonNode after = operator.get("/api/v1/cis/" + ci).json();
        assertThat(after.get("attributes").get("site").asString()).isEqualTo("hq");
        assertThat(after.get("version").asInt()).isEqualTo(2);
    }

    @Test
    void removingAnAttributeDropsItFromCisButKeepsOldValuesInHistory() {
        String name = createClass(List.of(Map.of("name", "size", "type", "integer"), Map.of("name", "note", "type", "string")));
        long ci = createCi(name, Map.of("size", 7, "note", "keep"));
        assertThat(admin.delete("/api/v1/classes/" + name + "/attributes/size").status()).isEqualTo(204);
        JsonNode cls = operator.get("/api/v1/classes/" + name).json();
        assertThat(cls.get("attributes").valueStream().map(a -> a.get("name").asString()).toList()).containsExactly("note");
        JsonNode now = operator.get("/api/v1/cis/" + ci).json();
        assertThat(now.get("attributes").has("size")).isFalse();
        assertThat(now.get("attributes").get("note").asString()).isEqualTo("keep");
        JsonNode removal = operator.get("/api/v1/cis/" + ci + "/history").json().get("items").get(0);
        assertThat(removal.get("field").asString()).isEqualTo("attributes.size");
        assertThat(removal.get("before").asInt()).isEqualTo(7);
        assertThat(removal.get("after").isNull()).isTrue();
        assertThat(operator.patch("/api/v1/cis/" + ci, "{\"attributes\":{\"size\":1}}").status()).isEqualTo(422);
        assertThat(admin.delete("/api/v1/classes/" + name + "/attributes/size").status()).isEqualTo(404);
    }

    @Test
    void editsTheLifecyclePerClassAndRefusesToDropStatesInUse() {
        String name = createClass(List.of());
        long ci = createCi(name, Map.of());
        var lifecycle = Map.of("initial", "planned", "states", List.of("planned", "active", "gone"),
                "transitions", Map.of("planned", List.of("active"), "active", List.of("gone"), "gone", List.of()));
        var r = admin.patch("/api/v1/classes/" + name, Map.of("lifecycle", lifecycle));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(operator.post("/api/v1/cis/" + ci + "/transitions", Map.of("to", "active")).status()).isEqualTo(200);
        var illegal = operator.post("/api/v1/cis/" + ci + "/transitions", Map.of("to", "planned"));
        assertThat(illegal.status()).isEqualTo(409);
        assertThat(illegal.json().get("allowed").valueStream().map(JsonNode::asString).toList()).containsExactly("gone");

        var dropping = admin.patch("/api/v1/classes/" + name, Map.of("lifecycle", Map.of("initial", "planned",
                "states", List.of("planned"), "transitions", Map.of())));
        assertThat(dropping.status()).isEqualTo(409);
        assertThat(dropping.json().get("type").asString()).isEqualTo("/problems/state-in-use");
        var broken = admin.patch("/api/v1/classes/" + name, Map.of("lifecycle", Map.of("initial", "x", "states", List.of("a"))));
        assertThat(broken.status()).isEqualTo(422);
        assertThat(admin.withHeader("If-Match", "\"1\"").patch("/api/v1/classes/" + name, Map.of("label", "x")).status())
                .isEqualTo(412);
    }

    @Test
    void enforcesUniqueWithinClassAndCheckedReferences() {
        String name = createClass(List.of(Map.of("name", "serial", "type", "string", "unique", true),
                Map.of("name", "rack", "type", "reference", "refClass", "Rack")));
        createCi(name, Map.of("serial", "SN-1"));
        var dup = operator.post("/api/v1/cis", Map.of("class", name, "name", "b", "attributes", Map.of("serial", "sn-1")));
        assertThat(dup.status()).isEqualTo(422);
        assertThat(dup.json().get("errors").get(0).get("field").asString()).isEqualTo("attributes.serial");

        long server = operator.post("/api/v1/cis", Map.of("class", "Server", "name", "not-a-rack")).json().get("id").asLong();
        var wrongClass = operator.post("/api/v1/cis", Map.of("class", name, "name", "c", "attributes", Map.of("rack", server)));
        assertThat(wrongClass.status()).isEqualTo(422);
        long rack = operator.post("/api/v1/cis", Map.of("class", "Rack", "name", "r1")).json().get("id").asLong();
        assertThat(operator.post("/api/v1/cis", Map.of("class", name, "name", "d", "attributes", Map.of("rack", rack))).status())
                .isEqualTo(201);
    }
}
