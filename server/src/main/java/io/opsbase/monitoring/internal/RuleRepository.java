package io.opsbase.monitoring.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;

import io.opsbase.monitoring.AlertFunction;
import io.opsbase.monitoring.AlertRule;

/** The {@code alert_rules} table. A deleted rule stays (its alerts refer to it) but is no longer listed or evaluated. */
@Repository
public class RuleRepository {

    private static final String COLUMNS = "id, name, kind, metric, labels, ci_id, function_name, window_seconds, operator, threshold, "
            + "recovery_threshold, for_seconds, no_data, severity, enabled, updated_at, template_id, threshold_macro, recovery_macro";

    private final JdbcClient jdbc;

    RuleRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public List<AlertRule> all() {
        return jdbc.sql("select " + COLUMNS + " from alert_rules where deleted_at is null order by name").query(RuleRepository::map).list();
    }

    public Optional<AlertRule> find(long id) {
        return jdbc.sql("select " + COLUMNS + " from alert_rules where id = :id and deleted_at is null").param("id", id)
                .query(RuleRepository::map).optional();
    }

    public boolean nameTaken(String name, long exceptId) {
        return jdbc.sql("select count(*) from alert_rules where name = :n and id <> :id").param("n", name).param("id", exceptId)
                .query(Long.class).single() > 0;
    }

    public long insert(AlertRule r) {
        var keys = new GeneratedKeyHolder();
        bind(jdbc.sql("""
                insert into alert_rules (name, kind, metric, labels, ci_id, function_name, window_seconds, operator, threshold,
                    recovery_threshold, for_seconds, no_data, severity, enabled, updated_at, template_id, threshold_macro, recovery_macro)
                values (:name, :kind, :metric, :labels, :ci, :fn, :window, :op, :threshold, :recovery, :for, :noData, :severity,
                    :enabled, :updated, :template, :thresholdMacro, :recoveryMacro)"""), r).update(keys, "id");
        return keys.getKey().longValue();
    }

    public void update(AlertRule r) {
        bind(jdbc.sql("""
                update alert_rules set name = :name, kind = :kind, metric = :metric, labels = :labels, ci_id = :ci,
                    function_name = :fn, window_seconds = :window, operator = :op, threshold = :threshold,
                    recovery_threshold = :recovery, for_seconds = :for, no_data = :noData, severity = :severity,
                    enabled = :enabled, updated_at = :updated, template_id = :template,
                    threshold_macro = :thresholdMacro, recovery_macro = :recoveryMacro
                where id = :id"""), r).param("id", r.id()).update();
    }

    public void delete(long id, Instant now) {
        jdbc.sql("update alert_rules set deleted_at = :now, enabled = false, name = concat(name, concat(' (deleted ', concat(cast(id as varchar(20)), ')'))) where id = :id")
                .param("now", Timestamp.from(now)).param("id", id).update();
    }

    private static JdbcClient.StatementSpec bind(JdbcClient.StatementSpec sql, AlertRule r) {
        return sql.param("name", r.name()).param("kind", r.kind().key()).param("metric", r.metric())
                .param("labels", LabelsJson.write(r.labels())).param("ci", r.ciId()).param("fn", r.function().key())
                .param("window", r.window().toSeconds()).param("op", r.operator().symbol()).param("threshold", r.threshold())
                .param("recovery", r.recoveryThreshold()).param("for", r.forDuration().toSeconds())
                .param("noData", r.noData().key()).param("severity", r.severity().key()).param("enabled", r.enabled())
                .param("updated", Timestamp.from(r.updatedAt())).param("template", r.templateId())
                .param("thresholdMacro", r.thresholdMacro()).param("recoveryMacro", r.recoveryMacro());
    }

    private static Long templateId(ResultSet rs) throws SQLException {
        long t = rs.getLong("template_id");
        return rs.wasNull() ? null : t;
    }

    private static AlertRule map(ResultSet rs, int n) throws SQLException {
        double recovery = rs.getDouble("recovery_threshold");
        Double recoveryThreshold = rs.wasNull() ? null : recovery;
        long ci = rs.getLong("ci_id");
        Long ciId = rs.wasNull() ? null : ci;
        return new AlertRule(rs.getLong("id"), rs.getString("name"), AlertRule.Kind.of(rs.getString("kind")), rs.getString("metric"),
                LabelsJson.read(rs.getString("labels")), ciId, AlertFunction.of(rs.getString("function_name")),
                Duration.ofSeconds(rs.getLong("window_seconds")), AlertRule.Operator.of(rs.getString("operator")),
                rs.getDouble("threshold"), recoveryThreshold, Duration.ofSeconds(rs.getLong("for_seconds")),
                AlertRule.NoData.of(rs.getString("no_data")), AlertRule.Severity.of(rs.getString("severity")),
                rs.getBoolean("enabled"), rs.getTimestamp("updated_at").toInstant(), templateId(rs), rs.getString("threshold_macro"),
                rs.getString("recovery_macro"));
    }
}
