package io.opsbase.discovery.internal;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import io.opsbase.discovery.FieldProvenance;

/** discovery_provenance: per CI field, its source and when discovery first and last saw it. */
@Repository
public class ProvenanceRepository {

    private final JdbcClient jdbc;

    ProvenanceRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Marks {@code fields} as seen now from {@code source}; a field seen again after removal is live again. */
    public void seen(long ciId, Collection<String> fields, String source, Instant now) {
        Timestamp t = Timestamp.from(now);
        for (String field : fields) {
            int updated = jdbc.sql("""
                    update discovery_provenance set source = :s, last_seen_at = :t, removed_at = null
                    where ci_id = :ci and field = :f""")
                    .param("s", source).param("t", t).param("ci", ciId).param("f", field).update();
            if (updated == 0) {
                jdbc.sql("""
                        insert into discovery_provenance (ci_id, field, source, first_seen_at, last_seen_at)
                        values (:ci, :f, :s, :t, :t)""")
                        .param("ci", ciId).param("f", field).param("s", source).param("t", t).update();
            }
        }
    }

    /** An unchanged report: every live field of the CI was seen again. One statement. */
    public void seenAgain(long ciId, Instant now) {
        jdbc.sql("update discovery_provenance set last_seen_at = :t where ci_id = :ci and removed_at is null")
                .param("t", Timestamp.from(now)).param("ci", ciId).update();
    }

    public void removed(long ciId, Collection<String> fields, Instant now) {
        for (String field : fields) {
            jdbc.sql("update discovery_provenance set removed_at = :t where ci_id = :ci and field = :f and removed_at is null")
                    .param("t", Timestamp.from(now)).param("ci", ciId).param("f", field).update();
        }
    }

    public List<FieldProvenance> list(long ciId) {
        return jdbc.sql("select * from discovery_provenance where ci_id = :ci order by field").param("ci", ciId)
                .query((rs, n) -> new FieldProvenance(rs.getString("field"), rs.getString("source"),
                        rs.getTimestamp("first_seen_at").toInstant(), rs.getTimestamp("last_seen_at").toInstant(),
                        rs.getTimestamp("removed_at") == null ? null : rs.getTimestamp("removed_at").toInstant()))
                .list();
    }
}
