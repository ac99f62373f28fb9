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
class CiApiTest {

    @LocalServerPort
    int port;

    @Autowired
    TestUsers testUsers;

    ApiClient operator;

    @BeforeEach
    void operator() {
        operator = ApiClient.at(port).withBearer(testUsers.tokenFor(Role.OPERATOR));
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    JsonNode createServer(String name, Map<String, Object> attributes) {
        var r = operator.post("/api/v1/cis", Map.of("class", "Server", "name", name, "attributes", attributes,
                "ownerTeam", "platform", "tags", List.of("linux", "web")));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json();
    }

    @Test
    void createsCiWithLocationEtagAndNormalisedAttributes() {
        String name = unique("web");
        var r = operator.post("/api/v1/cis", Map.of("class", "Server", "name", name,
                "attributes", Map.of("hostname", name, "cpu_count", 8, "memory_gb", 31.50, "ip_address", "10.0.0.7",
                        "mac_address", "AA-BB-CC-DD-EE-0F", "purchase_date", "2025-03-01"),
                "tags", List.of("web", "linux", "web")));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        JsonNode ci = r.json();
        long id = ci.get("id").asLong();
        assertThat(r.header("Location")).isEqualTo("/api/v1/cis/" + id);
        assertThat(r.header("ETag")).isEqualTo("\"1\"");
        assertThat(ci.get("class").asString()).isEqualTo("Server");
        assertThat(ci.get("state").asString()).isEqualTo("planned");
        assertThat(ci.get("version").asInt()).isEqualTo(1);
        assertThat(ci.get("retired").asBoolean()).isFalse();
        assertThat(ci.get("attributes").get("mac_address").asString()).isEqualTo("aa:bb:cc:dd:ee:0f");
        assertThat(ci.get("attributes").get("memory_gb").decimalValue()).isEqualByComparingTo("31.5");
        assertThat(ci.get("attributes").get("env").asString()).as("class default").isEqualTo("prod");
        assertThat(ci.get("tags").valueStream().map(JsonNode::asString).toList()).containsExactly("linux", "web");
        assertThat(ci.has("createdAt")).isTrue();
        assertThat(ci.has("updatedAt")).isTrue();

        var got = operator.get("/api/v1/cis/" + id);
        assertThat(got.status()).isEqualTo(200);
        assertThat(got.header("ETag")).isEqualTo("\"1\"");
        assertThat(got.json().get("name").asString()).isEqualTo(name);
        assertThat(operator.withHeader("If-None-Match", "\"1\"").get("/api/v1/cis/" + id).status()).isEqualTo(304);
        assertThat(operator.withHeader("If-None-Match", "\"0\"").get("/api/v1/cis/" + id).status()).isEqualTo(200);
    }

    @Test
    void rejectsInvalidAttributesWithOneEntryPerFieldAndWritesNothing() {
        long before = feedSize();
        var r = operator.post("/api/v1/cis", Map.of("class", "Server", "name", unique("bad"),
                "attributes", Map.of("cpu_count", "eight", "ip_address", "10.0.0.300", "colour", "red", "env", "qa")));
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().get("type").asString()).isEqualTo("/problems/validation");
        assertThat(r.json().get("errors").valueStream().map(e -> e.get("field").asString()).toList())
                .containsExactlyInAnyOrder("attributes.cpu_count", "attributes.ip_address", "attributes.colour", "attributes.env");
        assertThat(feedSize()).isEqualTo(before);
    }

    @Test
    void rejectsUnknownClassAndMissingName() {
        var r = operator.post("/api/v1/cis", Map.of("class", "Spaceship", "name", ""));
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.json().get("errors").valueStream().map(e -> e.get("field").asString()).toList())
                .contains("class", "name");
    }

    @Test
    void rejectsFieldsACiDoesNotHave() {
        var r = operator.post("/api/v1/cis", Map.of("class", "Server", "name", unique("x"), "cpu_count", 4));
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.json().get("errors").get(0).get("field").asString()).isEqualTo("cpu_count");
        assertThat(operator.post("/api/v1/cis", "{\"class\":\"Server\",\"name\":\"x\",\"tags\":\"web\"}").status()).isEqualTo(400);
        assertThat(operator.post("/api/v1/cis", "[1]").status()).isEqualTo(422);
    }

    @Test
    void answersMissingCiWithNotFoundProblem() {
        var r = operator.get("/api/v1/cis/987654321");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().get("type").asString()).isEqualTo("/problems/not-found");
        assertThat(operator.patch("/api/v1/cis/987654321", "{\"name\":\"x\"}").status()).isEqualTo(404);
        assertThat(operator.delete("/api/v1/cis/987654321").status()).isEqualTo(404);
        assertThat(operator.post("/api/v1/cis/987654321/transitions", Map.of("to", "in_use")).status()).isEqualTo(404);
        assertThat(operator.get("/api/v1/cis/987654321/history").status()).isEqualTo(404);
    }

    @Test
    void mergePatchSetsAndRemovesAttributesAndBumpsVersion() {
        JsonNode ci = createServer(unique("db"), Map.of("cpu_count", 4, "os", "debian 12"));
        long id = ci.get("id").asLong();
        var r = operator.withHeader("If-Match", "\"1\"").patch("/api/v1/cis/" + id,
                "{\"attributes\":{\"cpu_count\":16,\"os\":null},\"ownerTeam\":null,\"tags\":[\"db\"]}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.header("ETag")).isEqualTo("\"2\"");
        assertThat(r.json().get("attributes").get("cpu_count").asInt()).isEqualTo(16);
        assertThat(r.json().get("attributes").has("os")).isFalse();
        assertThat(r.json().get("ownerTeam").isNull()).isTrue();
        assertThat(r.json().get("tags").get(0).asString()).isEqualTo("db");

        var history = operator.get("/api/v1/cis/" + id + "/history").json();
        assertThat(history.get("items").valueStream().map(h -> h.get("field").asString()).toList())
                .contains("attributes.cpu_count", "attributes.os", "ownerTeam", "tags", "ci");
        JsonNode cpu = history.get("items").valueStream().filter(h -> h.get("field").asString().equals("attributes.cpu_count"))
                .findFirst().orElseThrow();
        assertThat(cpu.get("before").asInt()).isEqualTo(4);
        assertThat(cpu.get("after").asInt()).isEqualTo(16);
        assertThat(cpu.get("source").asString()).isEqualTo("api");
        assertThat(cpu.get("requestId").isNull()).isFalse();
    }

    @Test
    void staleIfMatchIsPreconditionFailedAndChangesNothing() {
        long id = createServer(unique("app"), Map.of("cpu_count", 2)).get("id").asLong();
        assertThat(operator.patch("/api/v1/cis/" + id, "{\"attributes\":{\"cpu_count\":3}}").status()).isEqualTo(200);
        var r = operator.withHeader("If-Match", "\"1\"").patch("/api/v1/cis/" + id, "{\"attributes\":{\"cpu_count\":4}}");
        assertThat(r.status()).isEqualTo(412);
        assertThat(r.json().get("type").asString()).isEqualTo("/problems/precondition-failed");
        assertThat(operator.get("/api/v1/cis/" + id).json().get("attributes").get("cpu_count").asInt()).isEqualTo(3);
    }

    @Test
    void rejectedPatchLeavesNoHistoryAndNoNewVersion() {
        long id = createServer(unique("app"), Map.of("cpu_count", 2)).get("id").asLong();
        long historyBefore = operator.get("/api/v1/cis/" + id + "/history").json().get("total").asLong();
        var r = operator.patch("/api/v1/cis/" + id, "{\"name\":\"renamed\",\"attributes\":{\"cpu_count\":\"lots\"}}");
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.json().get("errors").get(0).get("field").asString()).isEqualTo("attributes.cpu_count");
        JsonNode after = operator.get("/api/v1/cis/" + id).json();
        assertThat(after.get("version").asInt()).isEqualTo(1);
        assertThat(after.get("name").asString()).isNotEqualTo("renamed");
        assertThat(operator.get("/api/v1/cis/" + id + "/history").json().get("total").asLong()).isEqualTo(historyBefore);
    }

    @Test
    void patchCannotChangeStateOrClass() {
        long id = createServer(unique("x"), Map.of()).get("id").asLong();
        var r = operator.patch("/api/v1/cis/" + id, "{\"state\":\"in_use\",\"class\":\"Rack\",\"id\":5}");
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.json().get("errors").valueStream().map(e -> e.get("field").asString()).toList())
                .containsExactlyInAnyOrder("state", "class", "id");
    }

    @Test
    void malformedJsonIsBadRequest() {
        assertThat(operator.post("/api/v1/cis", "{\"class\":").status()).isEqualTo(400);
        long id = createServer(unique("x"), Map.of()).get("id").asLong();
        assertThat(operator.patch("/api/v1/cis/" + id, "{nope").status()).isEqualTo(400);
    }

    @Test
    void transitionsAlongTheLifecycleAndRejectsIllegalMovesListingAllowedOnes() {
        long id = createServer(unique("t"), Map.of()).get("id").asLong();
        var ok = operator.post("/api/v1/cis/" + id + "/transitions", Map.of("to", "in_stock", "reason", "delivered"));
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        assertThat(ok.json().get("state").asString()).isEqualTo("in_stock");

        var illegal = operator.post("/api/v1/cis/" + id + "/transitions", Map.of("to", "disposed"));
        assertThat(illegal.status()).isEqualTo(409);
        assertThat(illegal.json().get("type").asString()).isEqualTo("/problems/illegal-transition");
        assertThat(illegal.json().get("allowed").valueStream().map(JsonNode::asString).toList())
                .containsExactlyInAnyOrder("deployed", "planned");
        assertThat(operator.get("/api/v1/cis/" + id).json().get("state").asString()).isEqualTo("in_stock");

        JsonNode entry = operator.get("/api/v1/cis/" + id + "/history").json().get("items").get(0);
        assertThat(entry.get("changeKind").asString()).isEqualTo("transition");
        assertThat(entry.get("before").asString()).isEqualTo("planned");
        assertThat(entry.get("after").asString()).isEqualTo("in_stock");
        assertThat(entry.get("reason").asString()).isEqualTo("delivered");
        assertThat(entry.get("actor").asString()).startsWith("operator-");
    }

    @Test
    void deleteRetiresCiKeepingItReadableButOutOfListsAndWrites() {
        String name = unique("gone");
        long id = createServer(name, Map.of()).get("id").asLong();
        assertThat(operator.delete("/api/v1/cis/" + id).status()).isEqualTo(204);
        JsonNode ci = operator.get("/api/v1/cis/" + id).json();
        assertThat(ci.get("retired").asBoolean()).isTrue();
        assertThat(operator.get("/api/v1/cis?q=" + name).json().get("items").size()).isZero();
        assertThat(operator.get("/api/v1/cis?retired=true&q=" + name).json().get("items").size()).isEqualTo(1);
        var write = operator.patch("/api/v1/cis/" + id, "{\"name\":\"back\"}");
        assertThat(write.status()).isEqualTo(409);
        assertThat(write.json().get("type").asString()).isEqualTo("/problems/ci-retired");
        long next = createServer(unique("new"), Map.of()).get("id").asLong();
        assertThat(next).isGreaterThan(id);
    }

    @Test
    void readsCiAsItWasAtAnEarlierInstant() {
        long id = createServer(unique("at"), Map.of("cpu_count", 2)).get("id").asLong();
        String afterCreate = operator.get("/api/v1/cis/" + id).json().get("updatedAt").asString();
        operator.patch("/api/v1/cis/" + id, "{\"attributes\":{\"cpu_count\":64,\"os\":\"alma\"},\"name\":\"renamed-" + id + "\"}");
        operator.post("/api/v1/cis/" + id + "/transitions", Map.of("to", "in_stock"));

        var then = operator.get("/api/v1/cis/" + id + "?at=" + afterCreate);
        assertThat(then.status()).as(then.body()).isEqualTo(200);
        assertThat(then.json().get("attributes").get("cpu_count").asInt()).isEqualTo(2);
        assertThat(then.json().get("attributes").has("os")).isFalse();
        assertThat(then.json().get("state").asString()).isEqualTo("planned");
        assertThat(then.json().get("version").asInt()).isEqualTo(1);
        assertThat(operator.get("/api/v1/cis/" + id + "?at=2000-01-01T00:00:00Z").status()).isEqualTo(404);
        assertThat(operator.get("/api/v1/cis/" + id + "?at=yesterday").status()).isEqualTo(400);
    }

    @Test
    void viewerReadsButCannotWriteAndAnonymousIsUnauthenticated() {
        long id = createServer(unique("v"), Map.of()).get("id").asLong();
        var viewer = ApiClient.at(port).withBearer(testUsers.tokenFor(Role.VIEWER));
        assertThat(viewer.get("/api/v1/cis/" + id).status()).isEqualTo(200);
        assertThat(viewer.get("/api/v1/cis").status()).isEqualTo(200);
        assertThat(viewer.post("/api/v1/cis", Map.of("class", "Server", "name", "v")).status()).isEqualTo(403);
        assertThat(viewer.patch("/api/v1/cis/" + id, "{\"name\":\"v2\"}").status()).isEqualTo(403);
        assertThat(viewer.delete("/api/v1/cis/" + id).status()).isEqualTo(403);
        assertThat(viewer.post("/api/v1/cis/" + id + "/transitions", Map.of("to", "in_stock")).status()).isEqualTo(403);
        assertThat(ApiClient.at(port).get("/api/v1/cis/" + id).status()).isEqualTo(401);
        assertThat(ApiClient.at(port).get("/api/v1/history").status()).isEqualTo(401);
    }

    @Test
    void globalFeedListsChangesOldestFirstAfterCursor() {
        var first = operator.get("/api/v1/history?limit=500").json();
        long id = createServer(unique("feed"), Map.of()).get("id").asLong();
        operator.post("/api/v1/cis/" + id + "/transitions", Map.of("to", "in_stock"));
        long last = lastFeedId();
        var page = operator.get("/api/v1/history?after=" + (last - 2)).json();
        List<Long> ids = page.get("items").valueStream().map(h -> h.get("id").asLong()).toList();
        assertThat(ids).isSorted().hasSize(2);
        assertThat(page.get("items").get(1).get("ciId").asLong()).isEqualTo(id);
        assertThat(first.has("items")).isTrue();
        assertThat(operator.get("/api/v1/history?after=abc").status()).isEqualTo(400);
    }

    @Test
    void auditLogRecordsCiChanges() {
        long id = createServer(unique("audited"), Map.of()).get("id").asLong();
        var admin = ApiClient.at(port).withBearer(testUsers.tokenFor(Role.ADMIN));
        var audit = admin.get("/api/v1/audit?limit=500").json();
        assertThat(audit.get("items").valueStream()
                .anyMatch(a -> "ci.created".equals(a.get("action").asString()) && Long.toString(id).equals(a.get("targetId").asString())))
                .isTrue();
    }

    @Test
    void openApiDocumentDescribesTheCmdbEndpoints() {
        var docs = ApiClient.at(port).get("/v3/api-docs");
        assertThat(docs.status()).isEqualTo(200);
        JsonNode paths = docs.json().get("paths");
        assertThat(paths.has("/api/v1/cis")).isTrue();
        assertThat(paths.has("/api/v1/cis/{id}/transitions")).isTrue();
        assertThat(paths.has("/api/v1/classes/{name}/attributes")).isTrue();
        assertThat(paths.has("/api/v1/history")).isTrue();
    }

    long feedSize() {
        return lastFeedId();
    }

    long lastFeedId() {
        long after = 0;
        while (true) {
            JsonNode page = operator.get("/api/v1/history?limit=500&after=" + after).json();
            var items = page.get("items");
            if (items.isEmpty()) {
                return after;
            }
            after = items.get(items.size() - 1).get("id").asLong();
            if (page.get("next").isNull()) {
                return after;
            }
        }
    }
}
