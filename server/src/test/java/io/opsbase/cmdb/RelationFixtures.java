package io.opsbase.cmdb;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Component;

/**
 * Classes and CIs for relation, impact and import tests: user-defined classes straight into the
 * schema, CIs through {@link CiService}.
 * Register with {@code @Import(RelationFixtures.class)}. Names are unique per call, so tests that
 * share a database never collide.
 */
@Component
class RelationFixtures {

    static final ChangeContext CTX = new ChangeContext("fixture", "system", null);

    private static final String LIFECYCLE = """
            {"initial":"planned","states":["planned","in_use","retired"],\
            "transitions":{"planned":["in_use"],"in_use":["retired"],"retired":[]}}""";

    private final JdbcClient jdbc;
    private final CiService cis;

    RelationFixtures(JdbcClient jdbc, CiService cis) {
        this.jdbc = jdbc;
        this.cis = cis;
    }

    /** Makes sure a class with this name exists (the built-in ones may already be seeded). */
    long ensureClass(String name) {
        var existing = jdbc.sql("select id from cmdb_classes where name = :n").param("n", name).query(Long.class).optional();
        if (existing.isPresent()) {
            return existing.get();
        }
        var keys = new GeneratedKeyHolder();
        Timestamp now = Timestamp.from(Instant.now());
        jdbc.sql("""
                insert into cmdb_classes (name, label, builtin, hardware, lifecycle, created_at, updated_at)
                values (:n, :n, false, false, :l, :t, :t)""")
                .param("n", name).param("l", LIFECYCLE).param("t", now).update(keys, "id");
        return keys.getKey().longValue();
    }

    /** A new CI of the class, created through the CMDB facade, named {@code prefix-<random>}. */
    long ci(String className, String prefix) {
        ensureClass(className);
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> required = switch (className) {
            case "Datacenter" -> Map.of("code", "DC-" + UUID.randomUUID().toString().substring(0, 6).toUpperCase());
            case "Database" -> Map.of("engine", "postgresql");
            default -> Map.of();
        };
        return cis.create(new CreateCi(className, name, required, null, List.of(), null), CTX).id();
    }

    String nameOf(long ciId) {
        return jdbc.sql("select name from cis where id = :id").param("id", ciId).query(String.class).single();
    }

    void retire(long ciId) {
        cis.retire(ciId, null, CTX);
    }

    long historyRows(long ciId, String field) {
        return jdbc.sql("select count(*) from ci_history where ci_id = :id and field = :f")
                .param("id", ciId).param("f", field).query(Long.class).single();
    }
}
