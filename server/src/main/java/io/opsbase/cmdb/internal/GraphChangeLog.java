package io.opsbase.cmdb.internal;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The change log ({@code cmdb_graph_changes}) of what impact analysis keeps in memory: relations
 * added and removed, and CIs whose name, state or retirement changed. Each row is written in the
 * transaction of the change it records, so it becomes visible exactly when the change commits.
 * The ids the current transaction wrote are remembered until it ends ({@link #uncommitted()}):
 * a reader in that transaction sees those rows before anyone else may.
 */
@Repository
public class GraphChangeLog {

    /** Rows are kept this long; readers reload everything far more often than that. */
    public static final Duration RETENTION = Duration.ofDays(1);

    /** The transaction-bound set of change ids the current transaction wrote. */
    private static final Object OWN_CHANGES = new Object();

    public enum Kind {
        RELATION_ADDED, RELATION_REMOVED, CI_CHANGED;

        String column() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * A row: for relations, the relation and its ends ({@code ciId} is the source); for
     * {@link Kind#CI_CHANGED}, the CI alone (the relation fields are 0 and null).
     */
    public record Change(long id, Kind kind, long ciId, long relationId, String type, long targetId) {
    }

    private final JdbcClient jdbc;

    GraphChangeLog(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void relationAdded(long relationId, String type, long sourceId, long targetId, Instant at) {
        append(Kind.RELATION_ADDED, sourceId, relationId, type, targetId, at);
    }

    public void relationRemoved(long relationId, String type, long sourceId, long targetId, Instant at) {
        append(Kind.RELATION_REMOVED, sourceId, relationId, type, targetId, at);
    }

    /** The CI's name, state or retirement changed. */
    public void ciChanged(long ciId, Instant at) {
        append(Kind.CI_CHANGED, ciId, null, null, null, at);
    }

    /** Rows after {@code id}, in id order. */
    public List<Change> after(long id) {
        return jdbc.sql("""
                select id, kind, ci_id, relation_id, type, target_id from cmdb_graph_changes
                where id > :id order by id""")
                .param("id", id)
                .query(GraphChangeLog::change)
                .list();
    }

    private static Change change(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        return new Change(rs.getLong(1), Kind.valueOf(rs.getString(2).toUpperCase(java.util.Locale.ROOT)),
                rs.getLong(3), rs.getLong(4), rs.getString(5) == null ? null : rs.getString(5).intern(), rs.getLong(6));
    }

    /** The rows with these ids that exist (are committed, or written by the current transaction), in id order. */
    public List<Change> in(java.util.Collection<Long> ids) {
        return jdbc.sql("""
                select id, kind, ci_id, relation_id, type, target_id from cmdb_graph_changes
                where id in (:ids) order by id""")
                .param("ids", List.copyOf(ids))
                .query(GraphChangeLog::change)
                .list();
    }

    /** The highest id written before {@code at} (0 when none). */
    public long lastBefore(Instant at) {
        return jdbc.sql("select coalesce(max(id), 0) from cmdb_graph_changes where changed_at < :at")
                .param("at", Timestamp.from(at)).query(Long.class).single();
    }

    /** The ids the current transaction wrote; empty outside a transaction or when it wrote none. */
    @SuppressWarnings("unchecked")
    public static Set<Long> uncommitted() {
        Object own = TransactionSynchronizationManager.getResource(OWN_CHANGES);
        return own == null ? Set.of() : (Set<Long>) own;
    }

    private void append(Kind kind, long ciId, Long relationId, String type, Long targetId, Instant at) {
        var keys = new GeneratedKeyHolder();
        jdbc.sql("""
                insert into cmdb_graph_changes (kind, ci_id, relation_id, type, target_id, changed_at)
                values (:kind, :ci, :relation, :type, :target, :at)""")
                .param("kind", kind.column()).param("ci", ciId).param("relation", relationId).param("type", type)
                .param("target", targetId).param("at", Timestamp.from(at))
                .update(keys, "id");
        long id = keys.getKey().longValue();
        rememberUncommitted(id);
        if (id % 1000 == 0) {
            jdbc.sql("delete from cmdb_graph_changes where changed_at < :cutoff")
                    .param("cutoff", Timestamp.from(at.minus(RETENTION))).update();
        }
    }

    @SuppressWarnings("unchecked")
    private static void rememberUncommitted(long id) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            return; // no transaction: the row is committed already
        }
        Set<Long> own = (Set<Long>) TransactionSynchronizationManager.getResource(OWN_CHANGES);
        if (own == null) {
            own = new HashSet<>();
            TransactionSynchronizationManager.bindResource(OWN_CHANGES, own);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(OWN_CHANGES);
                }
            });
        }
        own.add(id);
    }
}
