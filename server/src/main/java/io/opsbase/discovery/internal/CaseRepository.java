package io.opsbase.discovery.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;

import io.opsbase.discovery.IdentityMatch;
import io.opsbase.protocol.ProtocolJson;
import tools.jackson.core.type.TypeReference;

/** discovery_cases: the approval and conflict queue. */
@Repository
public class CaseRepository {

    private static final TypeReference<List<IdentityMatch>> CANDIDATES = new TypeReference<>() {
    };

    private final JdbcClient jdbc;

    CaseRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A case to open, or the new evidence of an agent's open case. */
    public record Opening(long agentId, String kind, String reason, Long ciId, Long otherAgentId, int score,
            String confidence, List<IdentityMatch> candidates, String detail) {
    }

    public long open(Opening o, Instant now) {
        var keys = new GeneratedKeyHolder();
        jdbc.sql("""
                insert into discovery_cases (agent_id, kind, reason, status, ci_id, other_agent_id, score, confidence,
                    candidates, detail, created_at, updated_at)
                values (:agent, :kind, :reason, 'open', :ci, :other, :score, :confidence, :candidates, :detail, :now, :now)""")
                .params(params(o)).param("now", Timestamp.from(now))
                .update(keys, "id");
        return keys.getKey().longValue();
    }

    /** Refreshes an open case with the agent's latest evidence (kind and reason may change with it). */
    public void refresh(long id, Opening o, Instant now) {
        jdbc.sql("""
                update discovery_cases set kind = :kind, reason = :reason, ci_id = :ci, other_agent_id = :other,
                    score = :score, confidence = :confidence, candidates = :candidates, detail = :detail, updated_at = :now
                where id = :id and status = 'open'""")
                .params(params(o)).param("now", Timestamp.from(now)).param("id", id).update();
    }

    public Optional<StoredCase> openFor(long agentId) {
        return jdbc.sql("select * from discovery_cases where agent_id = :a and status = 'open' order by id limit 1")
                .param("a", agentId).query(CaseRepository::map).optional();
    }

    /** Open clone / duplicate-identity conflicts waiting on another agent that may have gone silent. */
    public List<StoredCase> openContested(int limit) {
        return jdbc.sql("""
                select * from discovery_cases where status = 'open' and kind = 'conflict'
                  and reason in ('clone', 'duplicate-identity') and other_agent_id is not null
                order by id limit :limit""").param("limit", limit).query(CaseRepository::map).list();
    }

    public Optional<StoredCase> find(long id) {
        return jdbc.sql("select * from discovery_cases where id = :id").param("id", id).query(CaseRepository::map).optional();
    }

    public Optional<StoredCase> findForUpdate(long id) {
        return jdbc.sql("select * from discovery_cases where id = :id for update").param("id", id)
                .query(CaseRepository::map).optional();
    }

    public void resolve(long id, String status, String actor, String resolution, Instant now) {
        jdbc.sql("""
                update discovery_cases set status = :status, resolved_by = :actor, resolution = :resolution,
                    resolved_at = :now, updated_at = :now where id = :id""")
                .param("status", status).param("actor", actor).param("resolution", resolution)
                .param("now", Timestamp.from(now)).param("id", id).update();
    }

    /** Keyset page by id; {@code status} and {@code kind} null for any. */
    /** How many cases wait for a decision (the navigation shows it). */
    public long countOpen() {
        return jdbc.sql("select count(*) from discovery_cases where status = :s").param("s", StoredCase.OPEN)
                .query(Long.class).single();
    }

    public List<StoredCase> list(String status, String kind, long afterId, int limit) {
        StringBuilder sql = new StringBuilder("select * from discovery_cases where id > :after");
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("after", afterId);
        if (status != null) {
            sql.append(" and status = :status");
            params.put("status", status);
        }
        if (kind != null) {
            sql.append(" and kind = :kind");
            params.put("kind", kind);
        }
        sql.append(" order by id limit ").append(limit);
        return jdbc.sql(sql.toString()).params(params).query(CaseRepository::map).list();
    }

    private static Map<String, Object> params(Opening o) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("agent", o.agentId());
        p.put("kind", o.kind());
        p.put("reason", o.reason());
        p.put("ci", o.ciId());
        p.put("other", o.otherAgentId());
        p.put("score", o.score());
        p.put("confidence", o.confidence());
        p.put("candidates", ProtocolJson.mapper().writeValueAsString(o.candidates()));
        p.put("detail", o.detail());
        return p;
    }

    private static StoredCase map(ResultSet rs, int n) throws SQLException {
        long ci = rs.getLong("ci_id");
        Long ciId = rs.wasNull() ? null : ci;
        long other = rs.getLong("other_agent_id");
        Long otherAgentId = rs.wasNull() ? null : other;
        Timestamp resolved = rs.getTimestamp("resolved_at");
        return new StoredCase(rs.getLong("id"), rs.getLong("agent_id"), rs.getString("kind"), rs.getString("reason"),
                rs.getString("status"), ciId, otherAgentId, rs.getInt("score"), rs.getString("confidence"),
                ProtocolJson.mapper().readValue(rs.getString("candidates"), CANDIDATES), rs.getString("detail"),
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant(),
                resolved == null ? null : resolved.toInstant(), rs.getString("resolved_by"), rs.getString("resolution"));
    }
}
