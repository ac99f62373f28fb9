package io.opsbase.monitoring.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;

import io.opsbase.metrics.SeriesKey;
import io.opsbase.monitoring.Alert;
import io.opsbase.monitoring.AlertRule;

/** The {@code alerts} table: one row per alert, kept after it resolves as the alert history. */
@Repository
public class AlertRepository {

    static final String HEARTBEAT_SERIES = "heartbeat";
    private static final String SELECT = """
            select a.id, a.rule_id, r.name, r.severity, a.ci_id, a.series, a.state, a.value_now, a.no_data, a.started_at,
                a.fired_at, a.resolved_at, a.flapping, a.suppressed_by, a.acknowledged_by, a.acknowledged_at, a.ack_comment
            from alerts a join alert_rules r on r.id = a.rule_id""";

    private final JdbcClient jdbc;

    AlertRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Pending and firing alerts of a rule, by series. */
    public Map<String, Alert> open(long ruleId) {
        return jdbc.sql(SELECT + " where a.rule_id = :r and a.state <> 'resolved'").param("r", ruleId).query(AlertRepository::map)
                .list().stream().collect(java.util.stream.Collectors.toMap(Alert::series, a -> a, (a, b) -> a));
    }

    public Optional<Alert> find(long id) {
        return jdbc.sql(SELECT + " where a.id = :id").param("id", id).query(AlertRepository::map).optional();
    }

    /** Newest first; {@code states} empty means all; {@code beforeId} pages. */
    public List<Alert> list(List<String> states, Long ciId, Long beforeId, int limit) {
        StringBuilder sql = new StringBuilder(SELECT).append(" where 1 = 1");
        if (!states.isEmpty()) {
            sql.append(" and a.state in (:states)");
        }
        if (ciId != null) {
            sql.append(" and a.ci_id = :ci");
        }
        if (beforeId != null) {
            sql.append(" and a.id < :before");
        }
        sql.append(" order by a.id desc fetch first ").append(limit).append(" rows only");
        var spec = jdbc.sql(sql.toString());
        if (!states.isEmpty()) {
            spec = spec.param("states", states);
        }
        if (ciId != null) {
            spec = spec.param("ci", ciId);
        }
        if (beforeId != null) {
            spec = spec.param("before", beforeId);
        }
        return spec.query(AlertRepository::map).list();
    }

    /** Firing alerts of heartbeat rules by CI: the hosts that are down now. */
    public Map<Long, Long> firingHostDown() {
        return jdbc.sql("select a.ci_id, a.id from alerts a join alert_rules r on r.id = a.rule_id "
                + "where a.state = 'firing' and r.kind = 'heartbeat'")
                .query((rs, n) -> Map.entry(rs.getLong(1), rs.getLong(2))).list().stream()
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a));
    }

    public long insertPending(long ruleId, long ciId, String series, Double value, boolean noData, Instant now) {
        var keys = new GeneratedKeyHolder();
        jdbc.sql("""
                insert into alerts (rule_id, ci_id, series, state, value_now, no_data, started_at, last_evaluated_at)
                values (:r, :ci, :s, 'pending', :v, :nd, :now, :now)""")
                .param("r", ruleId).param("ci", ciId).param("s", series).param("v", value).param("nd", noData)
                .param("now", Timestamp.from(now)).update(keys, "id");
        return keys.getKey().longValue();
    }

    public void fire(long id, Double value, boolean noData, boolean flapping, Long suppressedBy, Instant now) {
        jdbc.sql("""
                update alerts set state = 'firing', fired_at = :now, value_now = :v, no_data = :nd, flapping = :f,
                    suppressed_by = :sb, last_evaluated_at = :now where id = :id and state = 'pending'""")
                .param("now", Timestamp.from(now)).param("v", value).param("nd", noData).param("f", flapping)
                .param("sb", suppressedBy).param("id", id).update();
    }

    public void observe(long id, Double value, boolean noData, Instant now) {
        jdbc.sql("update alerts set value_now = :v, no_data = :nd, last_evaluated_at = :now where id = :id")
                .param("v", value).param("nd", noData).param("now", Timestamp.from(now)).param("id", id).update();
    }

    public void resolve(long id, Double value, Instant now) {
        jdbc.sql("update alerts set state = 'resolved', resolved_at = :now, value_now = :v, last_evaluated_at = :now "
                + "where id = :id and state = 'firing'")
                .param("now", Timestamp.from(now)).param("v", value).param("id", id).update();
    }

    /** A pending alert whose condition stopped holding before it fired leaves no trace. */
    public void dropPending(long id) {
        jdbc.sql("delete from alerts where id = :id and state = 'pending'").param("id", id).update();
    }

    /** How many times this rule and series fired since {@code since} (flapping detection). */
    public int firedSince(long ruleId, String series, Instant since) {
        return jdbc.sql("select count(*) from alerts where rule_id = :r and series = :s and fired_at >= :since")
                .param("r", ruleId).param("s", series).param("since", Timestamp.from(since)).query(Integer.class).single();
    }

    public boolean acknowledge(long id, String user, String comment, Instant now) {
        return jdbc.sql("update alerts set acknowledged_by = :u, acknowledged_at = :now, ack_comment = :c "
                + "where id = :id and state = 'firing'")
                .param("u", user).param("now", Timestamp.from(now)).param("c", comment).param("id", id).update() == 1;
    }

    private static Alert map(ResultSet rs, int n) throws SQLException {
        String series = rs.getString("series");
        Map<String, String> labels = series.equals(HEARTBEAT_SERIES) ? Map.of() : SeriesKey.parse(series).labels();
        double v = rs.getDouble("value_now");
        Double value = rs.wasNull() || Double.isNaN(v) ? null : v;
        long sb = rs.getLong("suppressed_by");
        Long suppressedBy = rs.wasNull() ? null : sb;
        return new Alert(rs.getLong("id"), rs.getLong("rule_id"), rs.getString("name"), AlertRule.Severity.of(rs.getString("severity")),
                rs.getLong("ci_id"), series, labels, Alert.State.of(rs.getString("state")), value, rs.getBoolean("no_data"),
                instant(rs, "started_at"), instant(rs, "fired_at"), instant(rs, "resolved_at"), rs.getBoolean("flapping"),
                suppressedBy, rs.getString("acknowledged_by"), instant(rs, "acknowledged_at"), rs.getString("ack_comment"), null);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
