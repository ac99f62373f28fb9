package io.opsbase.cmdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

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

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "opsbase.demo=true")
@Import(TestUsers.class)
class DemoEstateTest {

    @LocalServerPort
    int port;

    @Autowired
    DemoEstate demo;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TestUsers users;

    @Test
    void loadsTheEstateAtStartUpWithHistoryFromTheSystem() {
        assertThat(countsByClass()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "Datacenter", 1L, "Rack", 2L, "NetworkDevice", 3L, "Server", 10L, "VirtualMachine", 4L,
                "Application", 6L, "Database", 3L, "BusinessService", 3L));
        assertThat(jdbc.sql("select count(*) from ci_relations").query(Long.class).single()).isGreaterThan(50);
        assertThat(jdbc.sql("select distinct actor || '/' || source from ci_history").query(String.class).list())
                .containsExactly("system/import");
        assertThat(jdbc.sql("select count(*) from cis c where not exists (select 1 from ci_relations r where r.source_id = c.id or r.target_id = c.id)")
                .query(Long.class).single()).isZero();
    }

    @Test
    void loadsNothingWhenTheCmdbAlreadyHasCis() {
        Map<String, Long> before = countsByClass();
        long relations = jdbc.sql("select count(*) from ci_relations").query(Long.class).single();
        assertThat(demo.load()).isFalse();
        assertThat(countsByClass()).isEqualTo(before);
        assertThat(jdbc.sql("select count(*) from ci_relations").query(Long.class).single()).isEqualTo(relations);
    }

    @Test
    void tracesADatabaseServerFailureToTheBusinessServicesItTakesDown() {
        long db01 = jdbc.sql("select id from cis where name = 'fra1-db01'").query(Long.class).single();
        JsonNode impact = ApiClient.at(port).withBearer(users.tokenFor(Role.VIEWER))
                .get("/api/v1/cis/" + db01 + "/impact?depth=5").json();
        assertThat(impact.get("businessServices").valueStream().map(s -> s.get("name").asString() + "@" + s.get("depth").asInt()))
                .containsExactly("Payments@2", "Online Shop@3");
    }

    private Map<String, Long> countsByClass() {
        Map<String, Long> counts = new java.util.TreeMap<>();
        jdbc.sql("select k.name, count(*) from cis c join cmdb_classes k on k.id = c.class_id group by k.name")
                .query(rs -> {
                    counts.put(rs.getString(1), rs.getLong(2));
                });
        return counts;
    }
}
