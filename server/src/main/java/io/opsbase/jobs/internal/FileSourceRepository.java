package io.opsbase.jobs.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * job_file_sources: the source host's upload for a file step that goes from one host to the
 * others, one row per run and step. State changes name the state they leave ({@code uploading}),
 * so a repeated report or a late one after the sweeper gave up changes nothing.
 */
@Repository
public class FileSourceRepository {

    public static final String UPLOADING = "uploading";
    public static final String STORED = "stored";
    public static final String FAILED = "failed";

    private final JdbcClient jdbc;

    FileSourceRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** One source upload. {@code sha256} and {@code size} are set once stored; {@code message} once failed. */
    public record FileSourceRow(long runId, int step, long ciId, String path, String state, Long agentId, Long agentTaskId,
            String sha256, Long size, String message, Instant startedAt, Instant finishedAt, Instant deadlineAt) {
    }

    public void insertUploading(long runId, int step, long ciId, String path, long agentId, long agentTaskId, Instant now,
            Instant deadline) {
        jdbc.sql("""
                insert into job_file_sources (run_id, step, ci_id, path, state, agent_id, agent_task_id, started_at, deadline_at)
                values (:r, :s, :c, :p, 'uploading', :a, :t, :now, :d)""")
                .param("r", runId).param("s", step).param("c", ciId).param("p", path).param("a", agentId).param("t", agentTaskId)
                .param("now", Timestamp.from(now)).param("d", Timestamp.from(deadline)).update();
    }

    /** A source that failed before any agent task went out (no agent bound to the source CI). */
    public void insertFailed(long runId, int step, long ciId, String path, String message, Instant now) {
        jdbc.sql("""
                insert into job_file_sources (run_id, step, ci_id, path, state, message, started_at, finished_at)
                values (:r, :s, :c, :p, 'failed', :m, :now, :now)""")
                .param("r", runId).param("s", step).param("c", ciId).param("p", path).param("m", truncate(message))
                .param("now", Timestamp.from(now)).update();
    }

    public boolean stored(long runId, int step, String sha256, long size, Instant now) {
        return jdbc.sql("""
                update job_file_sources set state = 'stored', sha256 = :h, size = :z, finished_at = :now
                where run_id = :r and step = :s and state = 'uploading'""")
                .param("h", sha256).param("z", size).param("now", Timestamp.from(now)).param("r", runId).param("s", step)
                .update() == 1;
    }

    public boolean failed(long runId, int step, String message, Instant now) {
        return jdbc.sql("""
                update job_file_sources set state = 'failed', message = :m, finished_at = :now
                where run_id = :r and step = :s and state = 'uploading'""")
                .param("m", truncate(message)).param("now", Timestamp.from(now)).param("r", runId).param("s", step)
                .update() == 1;
    }

    public Optional<FileSourceRow> find(long runId, int step) {
        return jdbc.sql("select * from job_file_sources where run_id = :r and step = :s")
                .param("r", runId).param("s", step).query(FileSourceRepository::map).optional();
    }

    public List<FileSourceRow> ofRun(long runId) {
        return jdbc.sql("select * from job_file_sources where run_id = :r order by step")
                .param("r", runId).query(FileSourceRepository::map).list();
    }

    public Optional<FileSourceRow> byAgentTask(long agentId, long agentTaskId) {
        return jdbc.sql("select * from job_file_sources where agent_task_id = :t and agent_id = :a")
                .param("t", agentTaskId).param("a", agentId).query(FileSourceRepository::map).optional();
    }

    /** Uploads still running past their deadline. */
    public List<FileSourceRow> overdue(Instant now, int limit) {
        return jdbc.sql("select * from job_file_sources where state = 'uploading' and deadline_at < :now order by run_id limit :l")
                .param("now", Timestamp.from(now)).param("l", limit).query(FileSourceRepository::map).list();
    }

    /** Uploads in flight for a run (what a cancel has to stop). */
    public List<FileSourceRow> uploading(long runId) {
        return jdbc.sql("select * from job_file_sources where run_id = :r and state = 'uploading'")
                .param("r", runId).query(FileSourceRepository::map).list();
    }

    private static String truncate(String message) {
        return message == null || message.length() <= 2000 ? message : message.substring(0, 1999) + "…";
    }

    private static FileSourceRow map(ResultSet rs, int n) throws SQLException {
        long a = rs.getLong("agent_id");
        Long agentId = rs.wasNull() ? null : a;
        long t = rs.getLong("agent_task_id");
        Long agentTaskId = rs.wasNull() ? null : t;
        long z = rs.getLong("size");
        Long size = rs.wasNull() ? null : z;
        return new FileSourceRow(rs.getLong("run_id"), rs.getInt("step"), rs.getLong("ci_id"), rs.getString("path"),
                rs.getString("state"), agentId, agentTaskId, rs.getString("sha256"), size, rs.getString("message"),
                RunRepository.instant(rs, "started_at"), RunRepository.instant(rs, "finished_at"),
                RunRepository.instant(rs, "deadline_at"));
    }
}
