package io.opsbase.cmdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
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
class CiSearchApiTest {

    @LocalServerPort
    int port;

    @Autowired
    TestUsers testUsers;

    ApiClient operator;
    String tag;

    @BeforeEach
    void setUp() {
        operator = ApiClient.at(port).withBearer(testUsers.tokenFor(Role.OPERATOR));
        tag = "t" + UUID.randomUUID().toString().substring(0, 8);
    }

    long server(String name, String owner, Map<String, Object> attributes) {
        var r = operator.post("/api/v1/cis", Map.of("class", "Server", "name", name, "ownerTeam", owner,
                "tags", List.of(tag), "attributes", attributes));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("id").asLong();
    }

    List<String> names(String query) {
        var r = operator.get("/api/v1/cis?tag=" + tag + "&" + query);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("items").valueStream().map(c -> c.get("name").asString()).toList();
    }

    @Test
    void filtersByClassStateOwnerTagAndAttributes() {
        server("a-" + tag, "dba", Map.of("cpu_count", 4, "os", "Debian 12", "env", "prod", "warranty_end", "2026-06-30"));
        long b = server("b-" + tag, "web", Map.of("cpu_count", 16, "os", "Ubuntu 24.04", "env", "dev", "warranty_end", "2027-01-31"));
        server("c-" + tag, "web", Map.of("cpu_count", 64, "os", "debian 13", "env", "prod"));
        operator.post("/api/v1/cis/" + b + "/transitions", Map.of("to", "in_stock"));

        assertThat(names("class=Server")).containsExactly("a-" + tag, "b-" + tag, "c-" + tag);
        assertThat(names("owner=web")).containsExactly("b-" + tag, "c-" + tag);
        assertThat(names("state=in_stock")).containsExactly("b-" + tag);
        assertThat(names("attr.env=prod")).containsExactly("a-" + tag, "c-" + tag);
        assertThat(names("attr.os=contains:DEBIAN")).containsExactly("a-" + tag, "c-" + tag);
        assertThat(names("class=Server&attr.cpu_count=gte:16")).containsExactly("b-" + tag, "c-" + tag);
        assertThat(names("attr.cpu_count=gt:4&attr.cpu_count=lt:64")).containsExactly("b-" + tag);
        assertThat(names("class=Server&attr.cpu_count=16")).containsExactly("b-" + tag);
        assertThat(names("attr.warranty_end=lt:2027-01-01")).containsExactly("a-" + tag);
        assertThat(names("class=Application")).isEmpty();
    }

    @Test
    void freeTextMatchesNameIpSerialAndHostname() {
        String n = tag.substring(1);
        server("mail-" + tag, "ops", Map.of("ip_address", "10.77." + (n.hashCode() & 0xff) + ".9", "serial_number", "SRL" + n,
                "hostname", "host" + n + ".example.net"));
        assertThat(names("q=MAIL-")).containsExactly("mail-" + tag);
        assertThat(names("q=srl" + n)).containsExactly("mail-" + tag);
        assertThat(names("q=host" + n)).containsExactly("mail-" + tag);
        assertThat(names("q=10.77.")).containsExactly("mail-" + tag);
        assertThat(names("q=nothing-like-this")).isEmpty();
        assertThat(names("q=%25")).isEmpty();
    }

    @Test
    void pagesThroughResultsWithCursorAndTotalInEverySortOrder() {
        List<String> all = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            String name = "n" + i + "-" + tag;
            server(name, "ops", Map.of());
            all.add(name);
        }
        for (String sort : List.of("name", "-name", "createdAt", "-updatedAt", "id", "-id")) {
            List<String> seen = new ArrayList<>();
            String cursor = null;
            do {
                var page = operator.get("/api/v1/cis?tag=" + tag + "&limit=3&sort=" + sort + (cursor == null ? "" : "&cursor=" + cursor)).json();
                if (cursor == null) {
                    assertThat(page.get("total").asLong()).isEqualTo(7);
                } else {
                    assertThat(page.get("total").isNull()).as("counted on the first page only").isTrue();
                }
                page.get("items").valueStream().map(c -> c.get("name").asString()).forEach(seen::add);
                cursor = page.get("next").isNull() ? null : page.get("next").asString();
            } while (cursor != null);
            assertThat(seen).as(sort).containsExactlyInAnyOrderElementsOf(all).doesNotHaveDuplicates();
            if (sort.equals("name") || sort.equals("id") || sort.equals("createdAt")) {
                assertThat(seen).as(sort).containsExactlyElementsOf(all);
            } else {
                assertThat(seen).as(sort).containsExactlyElementsOf(all.reversed());
            }
        }
    }

    @Test
    void rejectsBadFiltersWithProblems() {
        assertThat(status("/api/v1/cis?colour=red")).isEqualTo(400);
        assertThat(status("/api/v1/cis?sort=colour")).isEqualTo(400);
        assertThat(status("/api/v1/cis?limit=0")).isEqualTo(400);
        assertThat(status("/api/v1/cis?limit=lots")).isEqualTo(400);
        assertThat(status("/api/v1/cis?cursor=!!!")).isEqualTo(400);
        assertThat(status("/api/v1/cis?class=Spaceship")).isEqualTo(422);
        assertThat(status("/api/v1/cis?class=Server&attr.colour=red")).isEqualTo(422);
        assertThat(status("/api/v1/cis?class=Server&attr.cpu_count=gte:many")).isEqualTo(422);
        assertThat(status("/api/v1/cis?attr.os=gte:debian")).isEqualTo(422);
        JsonNode problem = operator.get("/api/v1/cis?colour=red").json();
        assertThat(problem.get("type").asString()).isEqualTo("/problems/bad-request");
    }

    int status(String path) {
        return operator.get(path).status();
    }
}
