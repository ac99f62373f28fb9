package io.opsbase.jobs.policy;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;

/** The {@code job_policy_rules} table. */
@Repository
class PolicyRuleRepository {

    private static final String COLUMNS =
            "id, name, language, pattern, verdict, ci_field, ci_value, description, enabled, builtin, updated_at";

    private final JdbcClient jdbc;

    PolicyRuleRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<PolicyRule> all() {
        return jdbc.sql("select " + COLUMNS + " from job_policy_rules order by id").query(PolicyRuleRepository::map).list();
    }

    List<PolicyRule> enabled() {
        return jdbc.sql("select " + COLUMNS + " from job_policy_rules where enabled = true order by id")
                .query(PolicyRuleRepository::map).list();
    }

    Optional<PolicyRule> find(long id) {
        return jdbc.sql("select " + COLUMNS + " from job_policy_rules where id = :id").param("id", id)
                .query(PolicyRuleRepository::map).optional();
    }

    boolean nameTaken(String name, long exceptId) {
        return jdbc.sql("select count(*) from job_policy_rules where name = :n and id <> :id").param("n", name)
                .param("id", exceptId).query(Long.class).single() > 0;
    }

    long insert(PolicyRule r) {
        var keys = new GeneratedKeyHolder();
        bind(jdbc.sql("""
                insert into job_policy_rules (name, language, pattern, verdict, ci_field, ci_value, description, enabled,
                    builtin, updated_at)
                values (:name, :language, :pattern, :verdict, :ciField, :ciValue, :description, :enabled, false, :updated)"""),
                r).update(keys, "id");
        return keys.getKey().longValue();
    }

    void update(PolicyRule r) {
        bind(jdbc.sql("""
                update job_policy_rules set name = :name, language = :language, pattern = :pattern, verdict = :verdict,
                    ci_field = :ciField, ci_value = :ciValue, description = :description, enabled = :enabled,
                    updated_at = :updated
                where id = :id"""), r).param("id", r.id()).update();
    }

    void delete(long id) {
        jdbc.sql("delete from job_policy_rules where id = :id").param("id", id).update();
    }

    private static JdbcClient.StatementSpec bind(JdbcClient.StatementSpec sql, PolicyRule r) {
        return sql.param("name", r.name()).param("language", r.language().key()).param("pattern", r.pattern())
                .param("verdict", verdictKey(r.verdict())).param("ciField", r.ciField()).param("ciValue", r.ciValue())
                .param("description", r.description()).param("enabled", r.enabled())
                .param("updated", Timestamp.from(r.updatedAt()));
    }

    static String verdictKey(Verdict v) {
        return v.name().toLowerCase(Locale.ROOT);
    }

    private static PolicyRule map(ResultSet rs, int n) throws SQLException {
        return new PolicyRule(rs.getLong("id"), rs.getString("name"), ScriptLanguage.of(rs.getString("language")),
                rs.getString("pattern"), Verdict.valueOf(rs.getString("verdict").toUpperCase(Locale.ROOT)),
                rs.getString("ci_field"), rs.getString("ci_value"), rs.getString("description"), rs.getBoolean("enabled"),
                rs.getBoolean("builtin"), rs.getTimestamp("updated_at").toInstant());
    }
}
