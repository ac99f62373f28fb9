package io.opsbase.jobs.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import io.opsbase.jobs.HostTaskState;

/**
 * job_host_tasks: one row per run, step and host. State changes name the states they leave, so a
 * repeat changes nothing. {@code latest} marks each host's latest step of its run: a host's row
 * stops being the latest when {@link #insertStep} creates its row of the next step.
 *
 * <p>The questions asked after every host's result ({@link #any}, {@link #countStates}) are
 * answered from the (run, step, state, batch) index, so they cost the same in a 20,000-host run as
 * in a 10-host one; nothing here counts a whole step for that.
 */
@Repository
public class HostTaskRepository {

    private static final int INSERT_BATCH = 1000;

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;

    HostTaskRepository(JdbcClient jdbc, JdbcTemplate batch) {
        this.jdbc = jdbc;
        this.batch = batch;
    }

    /** One step's host. */
    public record NewTask(long ciId, int batch, int position) {
    }

    /**
     * Creates a step's tasks in JDBC batches; the hosts' rows of {@code previousStep} (when not
     * negative) stop being their latest.
     */
    public void insertStep(long runId, int step, int previousStep, List<NewTask> hosts) {
        if (previousStep >= 0) {
            jdbc.sql("update job_host_tasks set latest = false where run_id = :r and step = :p and state = 'succeeded'")
                    .param("r", runId).param("p", previousStep).update();
        }
        String sql = "insert into job_host_tasks (run_id, step, ci_id, batch, position, state, latest) values (?, ?, ?, ?, ?, 'pending', true)";
        for (int from = 0; from < hosts.size(); from += INSERT_BATCH) {
            List<Object[]> rows = new java.util.ArrayList<>();
            for (NewTask t : hosts.subList(from, Math.min(hosts.size(), from + INSERT_BATCH))) {
                rows.add(new Object[] {runId, step, t.ciId(), t.batch(), t.position()});
            }
            batch.batchUpdate(sql, rows);
        }
    }

    public boolean stepCreated(long runId, int step) {
        return !jdbc.sql("select id from job_host_tasks where run_id = :r and step = :s fetch first 1 rows only")
                .param("r", runId).param("s", step).query(Long.class).list().isEmpty();
    }

    /** Whether any task of the step is in one of {@code states}, in {@code batch} when not null; from the index. */
    public boolean any(long runId, int step, Integer batch, List<String> states) {
        return !jdbc.sql("select id from job_host_tasks where run_id = :r and step = :s and state in (:st)"
                        + (batch == null ? "" : " and batch = :b") + " fetch first 1 rows only")
                .param("r", runId).param("s", step).param("st", states).param("b", batch == null ? 0 : batch)
                .query(Long.class).list().isEmpty();
    }

    /** How many tasks of the step are in one of {@code states}; costs as many index entries as it counts. */
    public int countStates(long runId, int step, List<String> states) {
        return jdbc.sql("select count(*) from job_host_tasks where run_id = :r and step = :s and state in (:st)")
                .param("r", runId).param("s", step).param("st", states).query(Integer.class).single();
    }

    /** How many hosts the step has. */
    public int stepSize(long runId, int step) {
        return jdbc.sql("select count(*) from job_host_tasks where run_id = :r and step = :s")
                .param("r", runId).param("s", step).query(Integer.class).single();
    }

    public List<HostTaskRow> step(long runId, int step) {
        return jdbc.sql("select * from job_host_tasks where run_id = :r and step = :s order by position")
                .param("r", runId).param("s", step).query(HostTaskRepository::map).list();
    }

    public List<HostTaskRow> pending(long runId, int step, int batch, int limit) {
        return jdbc.sql("select * from job_host_tasks where run_id = :r and step = :s and batch = :b and state = 'pending'"
                        + " order by position limit :l")
                .param("r", runId).param("s", step).param("b", batch).param("l", limit).query(HostTaskRepository::map).list();
    }

    public int maxBatch(long runId, int step) {
        return jdbc.sql("select coalesce(max(batch), 0) from job_host_tasks where run_id = :r and step = :s")
                .param("r", runId).param("s", step).query(Integer.class).single();
    }

    public List<HostTaskRow> inFlightOfRun(long runId) {
        return jdbc.sql("select * from job_host_tasks where run_id = :r and state in ('dispatched', 'running')")
                .param("r", runId).query(HostTaskRepository::map).list();
    }

    public void dispatched(long id, long agentId, long agentTaskId, Instant now, Instant deadline) {
        jdbc.sql("""
                update job_host_tasks set state = 'dispatched', agent_id = :a, agent_task_id = :t, dispatched_at = :now,
                    deadline_at = :d where id = :id and state = 'pending'""")
                .param("a", agentId).param("t", agentTaskId).param("now", Timestamp.from(now))
                .param("d", Timestamp.from(deadline)).param("id", id).update();
    }

    /** {@link #dispatched} for many tasks, in JDBC batches. */
    public void dispatchedAll(List<Long> ids, List<Long> agentIds, List<Long> agentTaskIds, Instant now, Instant deadline) {
        List<Object[]> rows = new java.util.ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            rows.add(new Object[] {agentIds.get(i), agentTaskIds.get(i), Timestamp.from(now), Timestamp.from(deadline), ids.get(i)});
        }
        for (int from = 0; from < rows.size(); from += INSERT_BATCH) {
            batch.batchUpdate("""
                    update job_host_tasks set state = 'dispatched', agent_id = ?, agent_task_id = ?, dispatched_at = ?, deadline_at = ?
                    where id = ? and state = 'pending'""", rows.subList(from, Math.min(rows.size(), from + INSERT_BATCH)));
        }
    }

    public boolean started(long id, Instant at) {
        return jdbc.sql("update job_host_tasks set state = 'running', started_at = :at where id = :id and state = 'dispatched'")
                .param("at", Timestamp.from(at)).param("id", id).update() == 1;
    }

    /**
     * Ends a task that has not ended yet; false when it already had (a repeat, or lost before it
     * reported). Without a start time (no agent; an agent that did not say) it started when it ended.
     */
    public boolean finish(long id, HostTaskState state, Integer exitCode, String outcome, boolean truncated,
            String outputHash, long outputBytes, Instant startedAt, Instant finishedAt) {
        return jdbc.sql("""
                update job_host_tasks set state = :s, exit_code = :e, outcome = :o, truncated = :tr, output_hash = :h,
                    output_bytes = :b, started_at = coalesce(started_at, :st), finished_at = :f
                where id = :id and state in ('pending', 'dispatched', 'running')""")
                .param("s", state.key()).param("e", exitCode).param("o", outcome).param("tr", truncated).param("h", outputHash)
                .param("b", outputBytes).param("st", Timestamp.from(startedAt == null ? finishedAt : startedAt))
                .param("f", Timestamp.from(finishedAt)).param("id", id).update() == 1;
    }

    public void markTruncated(long id) {
        jdbc.sql("update job_host_tasks set truncated = true where id = :id").param("id", id).update();
    }

    /** Every pending task of a run becomes {@code state} (skipped by the failure policy, cancelled). */
    public int endPending(long runId, HostTaskState state, Instant now) {
        return jdbc.sql("update job_host_tasks set state = :s, finished_at = :now where run_id = :r and state = 'pending'")
                .param("s", state.key()).param("now", Timestamp.from(now)).param("r", runId).update();
    }

    /** Every pending task of one step fails with {@code outcome} (its file never became available). */
    public int failPending(long runId, int step, String outcome, Instant now) {
        return jdbc.sql("""
                update job_host_tasks set state = 'failed', outcome = :o, started_at = :now, finished_at = :now
                where run_id = :r and step = :s and state = 'pending'""")
                .param("o", outcome).param("now", Timestamp.from(now)).param("r", runId).param("s", step).update();
    }

    /** The latest transfer progress of a task. */
    public void progress(long id, long bytes, long total) {
        jdbc.sql("update job_host_tasks set progress_bytes = :b, progress_total = :t where id = :id")
                .param("b", bytes).param("t", total).param("id", id).update();
    }

    public Optional<HostTaskRow> byAgentTask(long agentId, long agentTaskId) {
        return jdbc.sql("select * from job_host_tasks where agent_task_id = :t and agent_id = :a")
                .param("t", agentTaskId).param("a", agentId).query(HostTaskRepository::map).optional();
    }

    /** Reads a task and locks its row for the rest of the transaction. */
    public Optional<HostTaskRow> lock(long id) {
        return jdbc.sql("select * from job_host_tasks where id = :id for update").param("id", id).query(HostTaskRepository::map).optional();
    }

    public Optional<HostTaskRow> find(long id) {
        return jdbc.sql("select * from job_host_tasks where id = :id").param("id", id).query(HostTaskRepository::map).optional();
    }

    public Optional<HostTaskRow> forHost(long runId, long ciId, Integer step) {
        if (step != null) {
            return jdbc.sql("select * from job_host_tasks where run_id = :r and ci_id = :c and step = :s")
                    .param("r", runId).param("c", ciId).param("s", step).query(HostTaskRepository::map).optional();
        }
        return jdbc.sql("select * from job_host_tasks where run_id = :r and ci_id = :c order by step desc limit 1")
                .param("r", runId).param("c", ciId).query(HostTaskRepository::map).optional();
    }

    /**
     * Each host's latest step, in target order (position, then CI id), from just after
     * ({@code afterPosition}, {@code afterCiId}) — a keyset page; null for the first page.
     */
    public List<HostTaskRow> latest(long runId, Integer afterPosition, Long afterCiId, int limit) {
        if (afterPosition == null) {
            return jdbc.sql("select * from job_host_tasks where run_id = :r and latest = true order by position, ci_id limit :l")
                    .param("r", runId).param("l", limit).query(HostTaskRepository::map).list();
        }
        return jdbc.sql("""
                select * from job_host_tasks where run_id = :r and latest = true
                  and (position > :p or (position = :p and ci_id > :c))
                order by position, ci_id limit :l""")
                .param("r", runId).param("p", afterPosition).param("c", afterCiId).param("l", limit)
                .query(HostTaskRepository::map).list();
    }

    /** Counts of {@link #latest} by state. */
    public Map<String, Integer> latestCounts(long runId) {
        Map<String, Integer> counts = new TreeMap<>();
        jdbc.sql("""
                select state, count(*) n from job_host_tasks where run_id = :r and latest = true group by state""")
                .param("r", runId).query((rs, n) -> counts.put(rs.getString("state"), rs.getInt("n"))).list();
        return counts;
    }

    public record Group(String state, Integer exitCode, String outputHash, int count, long firstTaskId) {
    }

    /** {@link #latest} grouped by state, exit code and output hash, largest group first. */
    public List<Group> groups(long runId, int limit) {
        return jdbc.sql("""
                select state, exit_code, output_hash, count(*) n, min(id) first_id from job_host_tasks
                where run_id = :r and latest = true
                group by state, exit_code, output_hash order by count(*) desc, min(id) limit :l""")
                .param("r", runId).param("l", limit)
                .query((rs, n) -> {
                    int e = rs.getInt("exit_code");
                    Integer exit = rs.wasNull() ? null : e;
                    return new Group(rs.getString("state"), exit, rs.getString("output_hash"), rs.getInt("n"), rs.getLong("first_id"));
                }).list();
    }

    public List<Long> groupMembers(long runId, Group g, int limit) {
        return jdbc.sql("""
                select ci_id from job_host_tasks
                where run_id = :r and latest = true and state = :s and coalesce(exit_code, -999999) = :e
                  and coalesce(output_hash, '') = :h
                order by position, ci_id limit :l""")
                .param("r", runId).param("s", g.state()).param("e", g.exitCode() == null ? -999999 : g.exitCode())
                .param("h", g.outputHash() == null ? "" : g.outputHash()).param("l", limit).query(Long.class).list();
    }

    /** Tasks in flight past their deadline, with their runs. */
    public List<HostTaskRow> overdue(Instant now, int limit) {
        return jdbc.sql("select * from job_host_tasks where state in ('dispatched', 'running') and deadline_at < :now order by id limit :l")
                .param("now", Timestamp.from(now)).param("l", limit).query(HostTaskRepository::map).list();
    }

    public boolean lose(long id, Instant now) {
        return jdbc.sql("update job_host_tasks set state = 'lost', outcome = 'lost', finished_at = :now"
                        + " where id = :id and state in ('dispatched', 'running')")
                .param("now", Timestamp.from(now)).param("id", id).update() == 1;
    }

    /** CIs whose task in {@code step} succeeded, in target order: the hosts the next step runs on. */
    public List<Long> succeededIn(long runId, int step) {
        return jdbc.sql("select ci_id from job_host_tasks where run_id = :r and step = :s and state = 'succeeded' order by position")
                .param("r", runId).param("s", step).query(Long.class).list();
    }

    /** Hosts whose latest step did not succeed: what a re-run of the failed hosts targets. */
    public List<Long> notSucceeded(long runId) {
        return jdbc.sql("""
                select ci_id from job_host_tasks where run_id = :r and latest = true and state <> 'succeeded'
                order by position, ci_id""")
                .param("r", runId).query(Long.class).list();
    }

    private static HostTaskRow map(ResultSet rs, int n) throws SQLException {
        long a = rs.getLong("agent_id");
        Long agentId = rs.wasNull() ? null : a;
        long t = rs.getLong("agent_task_id");
        Long agentTaskId = rs.wasNull() ? null : t;
        int e = rs.getInt("exit_code");
        Integer exit = rs.wasNull() ? null : e;
        return new HostTaskRow(rs.getLong("id"), rs.getLong("run_id"), rs.getInt("step"), rs.getLong("ci_id"),
                rs.getInt("batch"), rs.getInt("position"), HostTaskState.of(rs.getString("state")), agentId, agentTaskId,
                exit, rs.getString("outcome"), rs.getBoolean("truncated"), rs.getString("output_hash"),
                rs.getLong("output_bytes"), RunRepository.instant(rs, "dispatched_at"), RunRepository.instant(rs, "started_at"),
                RunRepository.instant(rs, "finished_at"), RunRepository.instant(rs, "deadline_at"), nullableLong(rs, "progress_bytes"),
                nullableLong(rs, "progress_total"));
    }

    private static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }
}
