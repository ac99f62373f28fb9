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

    /** Rows 1..STRIPES of discovery_resolution_lock (V40 created row 1, V50 the others). */
    static final int STRIPES = 4096;

    /**
     * Serialises the resolution of unbound agents' reports that share evidence: locks, until the
     * transaction ends, the stripe of each key (see discovery_resolution_lock), in ascending order so
     * two reports never wait for each other crosswise. Reports of the same hardware share a key and
     * so take turns — the second sees what the first decided; reports of unrelated hosts rarely
     * meet. No keys at all lock stripe 1.
     */
    public void lockResolution(java.util.Collection<String> evidenceKeys) {
        var stripes = new java.util.TreeSet<Integer>();
        evidenceKeys.forEach(k -> stripes.add(stripe(k)));
        if (stripes.isEmpty()) {
            stripes.add(1);
        }
        for (int id : stripes) {
            jdbc.sql("select id from discovery_resolution_lock where id = :id for update").param("id", id)
                    .query(Integer.class).single();
        }
    }

    static int stripe(String key) {
        return Math.floorMod(key.hashCode(), STRIPES) + 1;
    }
}
