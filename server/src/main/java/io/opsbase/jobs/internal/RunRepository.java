package io.opsbase.jobs.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;

import io.opsbase.jobs.RunState;

@Repository
public class RunRepository {

    private final JdbcClient jdbc;
    private final org.springframework.jdbc.core.JdbcTemplate batch;

    RunRepository(JdbcClient jdbc, org.springframework.jdbc.core.JdbcTemplate batch) {
        this.jdbc = jdbc;
        this.batch = batch;
    }

    public record NewRun(String name, RunState state, Long templateId, Integer templateVersion, Long parentRunId,
            String plan, String parameters, String targets, String requestedBy, String policyVerdict,
            String policySummary, int hostCount, Instant now) {
    }

    public long insert(NewRun r) {
        var keys = new GeneratedKeyHolder();
        jdbc.sql("""
                insert into job_runs (name, state, template_id, template_version, parent_run_id, plan, parameters, targets,
                    requested_by, policy_verdict, policy_summary, host_count, created_at, started_at)
                values (:name, :state, :tid, :tv, :parent, :plan, :params, :targets, :by, :verdict, :summary, :hosts, :now,
                    :started)""")
                .param("name", r.name()).param("state", r.state().key()).param("tid", r.templateId())
                .param("tv", r.templateVersion()).param("parent", r.parentRunId()).param("plan", r.plan())
                .param("params", r.parameters()).param("targets", r.targets()).param("by", r.requestedBy())
                .param("verdict", r.policyVerdict()).param("summary", r.policySummary()).param("hosts", r.hostCount())
                .param("now", Timestamp.from(r.now()))
                .param("started", r.state() == RunState.RUNNING ? Timestamp.from(r.now()) : null)
                .update(keys, "id");
        return keys.getKey().longValue();
    }

    /** The run's hosts in target order, in JDBC batches of 1,000. */
    public void insertHosts(long runId, List<Long> ciIds) {
        for (int from = 0; from < ciIds.size(); from += 1000) {
            List<Object[]> rows = new java.util.ArrayList<>();
            for (int i = from; i < Math.min(ciIds.size(), from + 1000); i++) {
                rows.add(new Object[] {runId, ciIds.get(i), i});
            }
            batch.batchUpdate("insert into job_run_hosts (run_id, ci_id, position) values (?, ?, ?)", rows);
        }
    }

    public List<Long> hosts(long runId) {
        return jdbc.sql("select ci_id from job_run_hosts where run_id = :r order by position").param("r", runId)
                .query(Long.class).list();
    }

    /** Locks the run's row for the rest of the transaction: every change to a run and its tasks goes through this lock. */
    public Optional<RunRow> lock(long id) {
        return jdbc.sql("select * from job_runs where id = :id for update").param("id", id).query(RunRepository::map).optional();
    }

    public Optional<RunRow> find(long id) {
        return jdbc.sql("select * from job_runs where id = :id").param("id", id).query(RunRepository::map).optional();
    }

    /** Newest first; {@code beforeId} is the keyset cursor. */
    public List<RunRow> list(String state, Long beforeId, int limit) {
        var sql = jdbc.sql("select * from job_runs where state like :state and id < :before order by id desc limit :limit");
        return sql.param("state", state == null ? "%" : state).param("before", beforeId == null ? Long.MAX_VALUE : beforeId)
                .param("limit", limit).query(RunRepository::map).list();
    }

    public long count(String state) {
        return jdbc.sql("select count(*) from job_runs where state like :state").param("state", state == null ? "%" : state)
                .query(Long.class).single();
    }

    public void setState(long id, RunState state, Instant now) {
        jdbc.sql("update job_runs set state = :s, finished_at = case when :done then :now else finished_at end where id = :id")
                .param("s", state.key()).param("done", state.finished()).param("now", Timestamp.from(now)).param("id", id)
                .update();
        if (state == RunState.RUNNING) {
            jdbc.sql("update job_runs set started_at = coalesce(started_at, :now) where id = :id")
                    .param("now", Timestamp.from(now)).param("id", id).update();
        }
    }

    public void setPosition(long id, int step, int batch, String hold, Instant resumeAt) {
        jdbc.sql("update job_runs set current_step = :s, current_batch = :b, hold = :h, resume_at = :r where id = :id")
                .param("s", step).param("b", batch).param("h", hold)
                .param("r", resumeAt == null ? null : Timestamp.from(resumeAt)).param("id", id).update();
    }

    public void setOutcome(long id, String outcome) {
        jdbc.sql("update job_runs set outcome = :o where id = :id").param("o", outcome).param("id", id).update();
    }

    public void setApprovedBy(long id, String actor) {
        jdbc.sql("update job_runs set approved_by = :a where id = :id").param("a", actor).param("id", id).update();
    }

    public void setCancelledBy(long id, String actor) {
        jdbc.sql("update job_runs set cancelled_by = :a where id = :id").param("a", actor).param("id", id).update();
    }

    /** Running runs whose pause between batches is over. */
    public List<Long> resumable(Instant now) {
        return jdbc.sql("select id from job_runs where state = 'running' and resume_at is not null and resume_at <= :now")
                .param("now", Timestamp.from(now)).query(Long.class).list();
    }

    private static RunRow map(ResultSet rs, int n) throws SQLException {
        long tid = rs.getLong("template_id");
        Long templateId = rs.wasNull() ? null : tid;
        int tv = rs.getInt("template_version");
        Integer templateVersion = rs.wasNull() ? null : tv;
        long parent = rs.getLong("parent_run_id");
        Long parentId = rs.wasNull() ? null : parent;
        return new RunRow(rs.getLong("id"), rs.getString("name"), RunState.of(rs.getString("state")), templateId,
                templateVersion, parentId, rs.getString("plan"), rs.getString("parameters"), rs.getString("targets"),
                rs.getString("requested_by"), rs.getString("approved_by"), rs.getString("cancelled_by"),
                rs.getString("policy_verdict"), rs.getString("policy_summary"), rs.getInt("current_step"),
                rs.getInt("current_batch"), rs.getString("hold"), instant(rs, "resume_at"), rs.getString("outcome"),
                rs.getInt("host_count"), instant(rs, "created_at"), instant(rs, "started_at"), instant(rs, "finished_at"));
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
