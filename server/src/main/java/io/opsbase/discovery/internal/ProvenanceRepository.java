package io.opsbase.discovery.internal;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import io.opsbase.discovery.FieldProvenance;

/** discovery_provenance: per CI field, its source and when discovery first and last saw it. */
@Repository
public class ProvenanceRepository {

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;

    ProvenanceRepository(JdbcClient jdbc, JdbcTemplate batch) {
        this.jdbc = jdbc;
        this.batch = batch;
    }

    /**
     * Marks {@code fields} as seen now from {@code source}; a field seen again after removal is live
     * again. Three statements whatever the number of fields (a host reports a few dozen): the CI's
     * known fields, one update of those seen again, one batch insert of the new ones.
     */
    public void seen(long ciId, Collection<String> fields, String source, Instant now) {
        if (fields.isEmpty()) {
            return;
        }
        Timestamp t = Timestamp.from(now);
        Set<String> known = new HashSet<>(jdbc.sql("select field from discovery_provenance where ci_id = :ci")
                .param("ci", ciId).query(String.class).list());
        List<String> again = fields.stream().filter(known::contains).distinct().toList();
        List<String> fresh = fields.stream().filter(f -> !known.contains(f)).distinct().toList();
        if (!again.isEmpty()) {
            jdbc.sql("""
                    update discovery_provenance set source = :s, last_seen_at = :t, removed_at = null
                    where ci_id = :ci and field in (:f)""")
                    .param("s", source).param("t", t).param("ci", ciId).param("f", again).update();
        }
        if (!fresh.isEmpty()) {
            batch.batchUpdate("""
                    insert into discovery_provenance (ci_id, field, source, first_seen_at, last_seen_at)
                    values (?, ?, ?, ?, ?)""", fresh, fresh.size(), (ps, field) -> {
                ps.setLong(1, ciId);
                ps.setString(2, field);
                ps.setString(3, source);
                ps.setTimestamp(4, t);
                ps.setTimestamp(5, t);
            });
        }
    }

    /** An unchanged report: every live field of the CI was seen again. One statement. */
    public void seenAgain(long ciId, Instant now) {
        jdbc.sql("update discovery_provenance set last_seen_at = :t where ci_id = :ci and removed_at is null")
                .param("t", Timestamp.from(now)).param("ci", ciId).update();
    }

    public void removed(long ciId, Collection<String> fields, Instant now) {
        if (fields.isEmpty()) {
            return;
        }
        jdbc.sql("update discovery_provenance set removed_at = :t where ci_id = :ci and field in (:f) and removed_at is null")
                .param("t", Timestamp.from(now)).param("ci", ciId).param("f", List.copyOf(fields)).update();
    }

    public List<FieldProvenance> list(long ciId) {
        return jdbc.sql("select * from discovery_provenance where ci_id = :ci order by field").param("ci", ciId)
                .query((rs, n) -> new FieldProvenance(rs.getString("field"), rs.getString("source"),
                        rs.getTimestamp("first_seen_at").toInstant(), rs.getTimestamp("last_seen_at").toInstant(),
                        rs.getTimestamp("removed_at") == null ? null : rs.getTimestamp("removed_at").toInstant()))
                .list();
    }
}
