package io.opsbase.jobs.internal;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** job_output_chunks: a task's output as it arrived, one row per chunk; (task, sequence) is the key. */
@Repository
public class OutputRepository {

    private final JdbcClient jdbc;

    OutputRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public record Chunk(int sequence, String stdout, String stderr) {
    }

    /** Stores a chunk unless one with its sequence is held; the caller holds the run lock, so no two race. */
    public boolean insert(long hostTaskId, int sequence, String stdout, String stderr, Instant now) {
        boolean held = jdbc.sql("select count(*) from job_output_chunks where host_task_id = :t and sequence = :s")
                .param("t", hostTaskId).param("s", sequence).query(Long.class).single() > 0;
        if (held) {
            return false;
        }
        insertNew(hostTaskId, sequence, stdout, stderr, now);
        return true;
    }

    /**
     * Stores the first chunk of a task known to have none (still dispatched, read under its lock),
     * without asking first; the unique (task, sequence) key still refuses a second copy.
     */
    public void insertNew(long hostTaskId, int sequence, String stdout, String stderr, Instant now) {
        jdbc.sql("insert into job_output_chunks (host_task_id, sequence, stdout, stderr, received_at) values (:t, :s, :o, :e, :now)")
                .param("t", hostTaskId).param("s", sequence).param("o", stdout).param("e", stderr)
                .param("now", Timestamp.from(now)).update();
    }

    /**
     * The chunks stored before {@code sequence}, newest first, at most 64: where a secret split by
     * chunk boundaries may have begun ({@link SecretSeams}).
     */
    public List<Chunk> before(long hostTaskId, int sequence) {
        return jdbc.sql("""
                select sequence, stdout, stderr from job_output_chunks where host_task_id = :t and sequence < :s
                order by sequence desc fetch first 64 rows only""")
                .param("t", hostTaskId).param("s", sequence)
                .query((rs, n) -> new Chunk(rs.getInt(1), rs.getString(2), rs.getString(3))).list();
    }

    /** Rewrites a stored chunk's text: only to move a split secret's start into a later chunk ({@link SecretSeams}). */
    public void rewrite(long hostTaskId, int sequence, String stdout, String stderr) {
        jdbc.sql("update job_output_chunks set stdout = :o, stderr = :e where host_task_id = :t and sequence = :s")
                .param("t", hostTaskId).param("s", sequence).param("o", stdout).param("e", stderr).update();
    }

    public List<Chunk> chunks(long hostTaskId) {
        return jdbc.sql("select sequence, stdout, stderr from job_output_chunks where host_task_id = :t order by sequence")
                .param("t", hostTaskId).query((rs, n) -> new Chunk(rs.getInt(1), rs.getString(2), rs.getString(3))).list();
    }
}
