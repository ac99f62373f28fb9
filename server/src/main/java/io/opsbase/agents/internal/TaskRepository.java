package io.opsbase.agents.internal;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;

import io.opsbase.agents.AgentTask;
import io.opsbase.platform.SecretCipher;

@Repository
public class TaskRepository {

    /** A delivered task that is not finished is offered again after this long (lost poll answer); agents drop duplicates. */
    static final Duration REDELIVER_AFTER = Duration.ofSeconds(60);

    private static final int BATCH = 1000;

    private final JdbcClient jdbc;
    private final org.springframework.jdbc.core.JdbcTemplate batch;
    private final SecretCipher cipher;

    TaskRepository(JdbcClient jdbc, org.springframework.jdbc.core.JdbcTemplate batch, SecretCipher cipher) {
        this.jdbc = jdbc;
        this.batch = batch;
        this.cipher = cipher;
    }

    public long reserveId(long agentId, String kind, Instant now) {
        var keys = new GeneratedKeyHolder();
        jdbc.sql("insert into agent_tasks (agent_id, kind, payload, signature, created_at) values (:a, :k, '', '', :now)")
                .param("a", agentId).param("k", kind).param("now", Timestamp.from(now)).update(keys, "id");
        return keys.getKey().longValue();
    }

    /** Reserves one task id per agent, in JDBC batches; the ids come back in the agents' order. */
    public List<Long> reserveIds(List<Long> agentIds, String kind, Instant now) {
        List<Long> ids = new java.util.ArrayList<>(agentIds.size());
        Timestamp at = Timestamp.from(now);
        for (int from = 0; from < agentIds.size(); from += BATCH) {
            List<Long> slice = agentIds.subList(from, Math.min(agentIds.size(), from + BATCH));
            var keys = new GeneratedKeyHolder();
            batch.batchUpdate(c -> c.prepareStatement(
                    "insert into agent_tasks (agent_id, kind, payload, signature, created_at) values (?, ?, '', '', ?)",
                    new String[] {"id"}), new org.springframework.jdbc.core.BatchPreparedStatementSetter() {
                        @Override
                        public void setValues(java.sql.PreparedStatement ps, int i) throws java.sql.SQLException {
                            ps.setLong(1, slice.get(i));
                            ps.setString(2, kind);
                            ps.setTimestamp(3, at);
                        }

                        @Override
                        public int getBatchSize() {
                            return slice.size();
                        }
                    }, keys);
            for (var row : keys.getKeyList()) {
                ids.add(((Number) row.values().iterator().next()).longValue());
            }
        }
        if (ids.size() != agentIds.size()) {
            throw new IllegalStateException("reserved " + ids.size() + " task ids for " + agentIds.size() + " agents");
        }
        return ids;
    }

    /** Stores signed payloads by task id, in JDBC batches. */
    public void storeAll(List<Long> ids, List<String> payloads, List<String> signatures) {
        List<Object[]> rows = new java.util.ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            rows.add(new Object[] {payloads.get(i), signatures.get(i), ids.get(i)});
        }
        for (int from = 0; from < rows.size(); from += BATCH) {
            batch.batchUpdate("update agent_tasks set payload = ?, signature = ? where id = ?",
                    rows.subList(from, Math.min(rows.size(), from + BATCH)));
        }
    }

    public void store(long id, String payload, String signature) {
        jdbc.sql("update agent_tasks set payload = :p, signature = :s where id = :id")
                .param("p", payload).param("s", signature).param("id", id).update();
    }

    /**
     * Signed task payloads (JSON of SignedTask) ready for the agent, oldest first; marks them
     * delivered. Besides new tasks this offers again (a) tasks delivered to an earlier poll that
     * never reported any output — that poll may have belonged to a process that died, and its
     * answer went nowhere — and (b) any unfinished task after {@link #REDELIVER_AFTER}. The agent
     * drops tasks it already holds, by id, so a repeat never runs twice.
     *
     * @param pollStart when the asking poll began
     */
    public List<String> takeDeliverable(long agentId, Instant pollStart, Instant now, int limit) {
        List<Long> ids = jdbc.sql("""
                select id from agent_tasks
                where agent_id = :a and completed_at is null and signature <> ''
                  and (delivered_at is null or delivered_at < :redeliver
                       or (output is null and delivered_at < :pollStart))
                order by id limit :limit""")
                .param("a", agentId).param("redeliver", Timestamp.from(now.minus(REDELIVER_AFTER)))
                .param("pollStart", Timestamp.from(pollStart)).param("limit", limit)
                .query(Long.class).list();
        if (ids.isEmpty()) {
            return List.of();
        }
        jdbc.sql("update agent_tasks set delivered_at = :now where id in (:ids)")
                .param("now", Timestamp.from(now)).param("ids", ids).update();
        // A sensitive task's payload is sealed at rest (it carries a job secret); JSON never starts with "v1:".
        return jdbc.sql("select payload from agent_tasks where id in (:ids) order by id").param("ids", ids)
                .query(String.class).list().stream()
                .map(p -> p.startsWith("v1:") ? cipher.decrypt(p) : p).toList();
    }

    /** Marks answered tasks delivered (those not marked yet), in one statement per {@value #BATCH}. */
    public void markDelivered(List<Long> ids, Instant now) {
        for (int from = 0; from < ids.size(); from += BATCH) {
            jdbc.sql("update agent_tasks set delivered_at = :now where id in (:ids) and delivered_at is null")
                    .param("now", Timestamp.from(now)).param("ids", ids.subList(from, Math.min(ids.size(), from + BATCH))).update();
        }
    }

    /** Appends an output chunk; the last chunk completes the task. False when the task is not this agent's. */
    public boolean appendOutput(long taskId, long agentId, String chunk, boolean last, Integer exitCode, Instant now) {
        return jdbc.sql("""
                update agent_tasks set output = coalesce(output, '') || :chunk,
                    exit_code = case when :last then :exit else exit_code end,
                    completed_at = case when :last then :now else completed_at end
                where id = :id and agent_id = :a and completed_at is null""")
                .param("chunk", chunk).param("last", last).param("exit", exitCode)
                .param("now", Timestamp.from(now)).param("id", taskId).param("a", agentId)
                .update() == 1;
    }

    public boolean isCompleted(long taskId, long agentId) {
        return jdbc.sql("select count(*) from agent_tasks where id = :id and agent_id = :a and completed_at is not null")
                .param("id", taskId).param("a", agentId).query(Long.class).single() > 0;
    }

    public Optional<AgentTask> find(long agentId, long taskId) {
        return jdbc.sql("select * from agent_tasks where id = :id and agent_id = :a").param("id", taskId).param("a", agentId)
                .query((rs, n) -> {
                    Timestamp delivered = rs.getTimestamp("delivered_at");
                    Timestamp completed = rs.getTimestamp("completed_at");
                    int exit = rs.getInt("exit_code");
                    Integer exitCode = rs.wasNull() ? null : exit;
                    return new AgentTask(rs.getLong("id"), rs.getLong("agent_id"), rs.getString("kind"),
                            rs.getTimestamp("created_at").toInstant(), delivered == null ? null : delivered.toInstant(),
                            completed == null ? null : completed.toInstant(), exitCode, rs.getString("output"));
                }).optional();
    }
}
