package io.opsbase.cmdb;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Component;

/**
 * Classes and CIs for relation, impact and import tests, written straight into the V10 schema.
 * Register with {@code @Import(RelationFixtures.class)}. Names are unique per call, so tests that
 * share a database never collide.
 */
@Component
class RelationFixtures {

    private static final String LIFECYCLE = """
            {"initial":"planned","states":["planned","in_use","retired"],\
            "transitions":{"planned":["in_use"],"in_use":["retired"],"retired":[]}}""";

    private final JdbcClient jdbc;

    RelationFixtures(JdbcClient jdbc) {
        this.jdbc = jdbc;
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

    /** A new in-use CI of the class, named {@code prefix-<random>}. */
    long ci(String className, String prefix) {
        long classId = ensureClass(className);
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        var keys = new GeneratedKeyHolder();
        Timestamp now = Timestamp.from(Instant.now());
        jdbc.sql("""
                insert into cis (class_id, name, state, attributes, search_text, created_at, updated_at)
                values (:c, :n, 'in_use', '{}', :s, :t, :t)""")
                .param("c", classId).param("n", name).param("s", name.toLowerCase()).param("t", now)
                .update(keys, "id");
        return keys.getKey().longValue();
    }

    String nameOf(long ciId) {
        return jdbc.sql("select name from cis where id = :id").param("id", ciId).query(String.class).single();
    }

    void retire(long ciId) {
        jdbc.sql("update cis set retired_at = :t where id = :id").param("t", Timestamp.from(Instant.now()))
                .param("id", ciId).update();
    }

    long historyRows(long ciId, String field) {
        return jdbc.sql("select count(*) from ci_history where ci_id = :id and field = :f")
                .param("id", ciId).param("f", field).query(Long.class).single();
    }
}
