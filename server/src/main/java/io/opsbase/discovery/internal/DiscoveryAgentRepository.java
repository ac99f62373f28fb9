package io.opsbase.discovery.internal;

import java.sql.Timestamp;
import java.time.Instant;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** discovery_agents: per agent, the enrollment token's auto-approve flag and a rejection. */
@Repository
public class DiscoveryAgentRepository {

    private final JdbcClient jdbc;

    DiscoveryAgentRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public record DiscoveryAgent(long agentId, boolean autoApprove, Instant rejectedAt) {
    }

    public void register(long agentId, boolean autoApprove, Instant now) {
        int updated = jdbc.sql("update discovery_agents set auto_approve = :aa where agent_id = :a")
                .param("aa", autoApprove).param("a", agentId).update();
        if (updated == 0) {
            jdbc.sql("insert into discovery_agents (agent_id, auto_approve, created_at) values (:a, :aa, :now)")
                    .param("a", agentId).param("aa", autoApprove).param("now", Timestamp.from(now)).update();
        }
    }

    /**
     * The agent's row, locked for this transaction: reports of one agent are reconciled one at a
     * time. An agent enrolled before discovery listened gets a row without auto-approval.
     */
    public DiscoveryAgent lock(long agentId, Instant now) {
        var row = jdbc.sql("select agent_id, auto_approve, rejected_at from discovery_agents where agent_id = :a for update")
                .param("a", agentId)
                .query((rs, n) -> new DiscoveryAgent(rs.getLong(1), rs.getBoolean(2),
                        rs.getTimestamp(3) == null ? null : rs.getTimestamp(3).toInstant()))
                .optional();
        if (row.isPresent()) {
            return row.get();
        }
        register(agentId, false, now);
        return lock(agentId, now);
    }

    public void reject(long agentId, Instant now) {
        jdbc.sql("update discovery_agents set rejected_at = :now where agent_id = :a")
                .param("now", Timestamp.from(now)).param("a", agentId).update();
    }

    /** Serialises the resolution of unbound agents (see discovery_resolution_lock). */
    public void lockResolution() {
        jdbc.sql("select id from discovery_resolution_lock where id = 1 for update").query(Integer.class).single();
    }
}
