package io.opsbase.cmdb.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import io.opsbase.cmdb.HistoryEntry;

/** ci_history: append-only; ids grow with time, so id order is change order. */
@Repository
public class HistoryRepository {

    private static final String INSERT = """
            insert into ci_history (ci_id, changed_at, actor, source, reason, request_id, change_kind, field,
                before_value, after_value, ci_version)
            values (:ciId, :at, :actor, :source, :reason, :requestId, :kind, :field, :before, :after, :version)""";

    private final JdbcClient jdbc;
    private final NamedParameterJdbcTemplate batch;

    HistoryRepository(JdbcClient jdbc, NamedParameterJdbcTemplate batch) {
        this.jdbc = jdbc;
        this.batch = batch;
    }

    /** A row to append; values are JSON text (null when absent). */
    public record NewRow(long ciId, Instant changedAt, String actor, String source, String reason, String requestId,
            String changeKind, String field, String before, String after, Integer ciVersion) {
    }

    public void append(NewRow row) {
        appendAll(List.of(row));
    }

    /** One JDBC batch: a report that changes many components writes their history in one round trip. */
    public void appendAll(List<NewRow> rows) {
        if (rows.isEmpty()) {
            return;
        }
        SqlParameterSource[] params = new SqlParameterSource[rows.size()];
        for (int i = 0; i < params.length; i++) {
            NewRow row = rows.get(i);
            params[i] = new MapSqlParameterSource().addValue("ciId", row.ciId()).addValue("at", Timestamp.from(row.changedAt()))
                    .addValue("actor", row.actor()).addValue("source", row.source()).addValue("reason", row.reason())
                    .addValue("requestId", row.requestId()).addValue("kind", row.changeKind())
                    .addValue("field", truncate(row.field(), 300)).addValue("before", row.before())
                    .addValue("after", row.after()).addValue("version", row.ciVersion());
        }
        if (params.length == 1) {
            batch.update(INSERT, params[0]);
        } else {
            batch.batchUpdate(INSERT, params);
        }
    }

    /** Newest first, older than {@code beforeId} when given. */
    public List<HistoryEntry> forCi(long ciId, Long beforeId, int limit) {
        return jdbc.sql("select * from ci_history where ci_id = :ciId and id < :before order by id desc limit :limit")
                .param("ciId", ciId).param("before", beforeId == null ? Long.MAX_VALUE : beforeId).param("limit", limit)
                .query(HistoryRepository::map).list();
    }

    /** Oldest first, newer than {@code afterId}: the integration feed. */
    public List<HistoryEntry> feed(long afterId, int limit) {
        return jdbc.sql("select * from ci_history where id > :after order by id limit :limit")
                .param("after", afterId).param("limit", limit).query(HistoryRepository::map).list();
    }

    /** Changes to the CI document after {@code at}, newest first: undoing them in order rewinds the CI. */
    public List<HistoryEntry> documentChangesAfter(long ciId, Instant at) {
        return jdbc.sql("""
                select * from ci_history where ci_id = :ciId and changed_at > :at and ci_version is not null
                order by id desc""")
                .param("ciId", ciId).param("at", Timestamp.from(at)).query(HistoryRepository::map).list();
    }

    /** When the CI document last changed at or before {@code at}, if it existed then. */
    public java.util.Optional<Instant> lastDocumentChangeAtOrBefore(long ciId, Instant at) {
        return jdbc.sql("""
                select max(changed_at) from ci_history where ci_id = :ciId and changed_at <= :at and ci_version is not null""")
                .param("ciId", ciId).param("at", Timestamp.from(at)).query(Timestamp.class).optional()
                .map(Timestamp::toInstant);
    }

    public long countForCi(long ciId) {
        return jdbc.sql("select count(*) from ci_history where ci_id = :ciId").param("ciId", ciId).query(Long.class).single();
    }

    private static HistoryEntry map(ResultSet rs, int n) throws SQLException {
        int storedVersion = rs.getInt("ci_version");
        Integer version = rs.wasNull() ? null : storedVersion;
        return new HistoryEntry(rs.getLong("id"), rs.getLong("ci_id"), rs.getTimestamp("changed_at").toInstant(),
                rs.getString("actor"), rs.getString("source"), rs.getString("reason"), rs.getString("request_id"),
                rs.getString("change_kind"), rs.getString("field"), CmdbJson.readTree(rs.getString("before_value")),
                CmdbJson.readTree(rs.getString("after_value")), version);
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
