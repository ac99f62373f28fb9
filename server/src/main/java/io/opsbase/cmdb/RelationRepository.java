package io.opsbase.cmdb;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * SQL for relation types, relations and their change log ({@code relation_changes}, which
 * {@link RelationGraph} follows). Every insert and delete of a relation goes through here and
 * writes its change-log row in the same transaction.
 */
@Repository
class RelationRepository {

    /** Change-log rows are kept this long; {@link RelationGraph} reloads long before that. */
    static final Duration CHANGE_RETENTION = Duration.ofDays(1);

    /** The transaction-bound set of change-log ids the current transaction wrote (not committed yet). */
    private static final Object OWN_CHANGES = new Object();

    private final JdbcClient jdbc;

    RelationRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A CI as relations need it: its class name and whether it is retired. */
    record RelationCi(long id, String name, String className, String state, boolean retired) {

        RelationEnd end() {
            return new RelationEnd(id, name, className, state);
        }
    }

    /** A stored relation row. */
    record StoredRelation(long id, String type, long sourceId, long targetId, Instant createdAt, String createdBy) {
    }

    /** A row of {@code relation_changes}: a relation inserted ({@code added}) or deleted. */
    record RelationChange(long id, long relationId, String type, long sourceId, long targetId, boolean added) {
    }

    /** Receives stored relations one by one. */
    interface RelationSink {
        void accept(long relationId, String type, long sourceId, long targetId);
    }

    List<RelationType> types() {
        Map<String, List<RelationType.RelationRule>> rules = new LinkedHashMap<>();
        jdbc.sql("select type, source_class, target_class from relation_rules order by type, source_class, target_class")
                .query(rs -> {
                    rules.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                            .add(new RelationType.RelationRule(rs.getString(2), rs.getString(3)));
                });
        return jdbc.sql("select name, label, inverse_label, description, impact_flow from relation_types order by name")
                .query((rs, n) -> new RelationType(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        ImpactFlow.of(rs.getString(5)), List.copyOf(rules.getOrDefault(rs.getString(1), List.of()))))
                .list();
    }

    Optional<RelationCi> findCi(long id) {
        return jdbc.sql("""
                select c.id, c.name, k.name as class_name, c.state, c.retired_at
                from cis c join cmdb_classes k on k.id = c.class_id where c.id = :id""")
                .param("id", id)
                .query((rs, n) -> new RelationCi(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getTimestamp(5) != null))
                .optional();
    }

    /** Locks the CI row so concurrent relation changes on one CI serialise (and its history stays ordered). */
    void lockCi(long id) {
        jdbc.sql("select id from cis where id = :id for update").param("id", id).query(Long.class).optional();
    }

    boolean exists(String type, long sourceId, long targetId) {
        return jdbc.sql("select count(*) from ci_relations where type = :type and source_id = :s and target_id = :t")
                .param("type", type).param("s", sourceId).param("t", targetId).query(Long.class).single() > 0;
    }

    long insert(String type, long sourceId, long targetId, Instant at, String actor) {
        var keys = new org.springframework.jdbc.support.GeneratedKeyHolder();
        jdbc.sql("""
                insert into ci_relations (type, source_id, target_id, created_at, created_by)
                values (:type, :s, :t, :at, :by)""")
                .param("type", type).param("s", sourceId).param("t", targetId)
                .param("at", Timestamp.from(at)).param("by", actor)
                .update(keys, "id");
        long id = keys.getKey().longValue();
        logChange(id, type, sourceId, targetId, true, at);
        return id;
    }

    Optional<StoredRelation> find(long relationId) {
        return jdbc.sql("select id, type, source_id, target_id, created_at, created_by from ci_relations where id = :id")
                .param("id", relationId).query(RelationRepository::stored).optional();
    }

    void delete(StoredRelation relation, Instant at) {
        jdbc.sql("delete from ci_relations where id = :id").param("id", relation.id()).update();
        logChange(relation.id(), relation.type(), relation.sourceId(), relation.targetId(), false, at);
    }

    /** Every stored relation, in no particular order. */
    void forEachRelation(RelationSink sink) {
        jdbc.sql("select id, type, source_id, target_id from ci_relations")
                .query(rs -> {
                    sink.accept(rs.getLong(1), rs.getString(2).intern(), rs.getLong(3), rs.getLong(4));
                });
    }

    /** Change-log rows after {@code id}, in id order. */
    List<RelationChange> changesAfter(long id) {
        return jdbc.sql("""
                select id, relation_id, type, source_id, target_id, added from relation_changes
                where id > :id order by id""")
                .param("id", id)
                .query((rs, n) -> new RelationChange(rs.getLong(1), rs.getLong(2), rs.getString(3).intern(), rs.getLong(4),
                        rs.getLong(5), rs.getBoolean(6)))
                .list();
    }

    /** The highest change-log id written before {@code at} (0 when none). */
    long lastChangeBefore(Instant at) {
        return jdbc.sql("select coalesce(max(id), 0) from relation_changes where changed_at < :at")
                .param("at", Timestamp.from(at)).query(Long.class).single();
    }

    /** The change-log ids the current transaction wrote; empty outside a transaction or when it wrote none. */
    @SuppressWarnings("unchecked")
    static Set<Long> uncommittedChanges() {
        Object own = TransactionSynchronizationManager.getResource(OWN_CHANGES);
        return own == null ? Set.of() : (Set<Long>) own;
    }

    private void logChange(long relationId, String type, long sourceId, long targetId, boolean added, Instant at) {
        var keys = new org.springframework.jdbc.support.GeneratedKeyHolder();
        jdbc.sql("""
                insert into relation_changes (relation_id, type, source_id, target_id, added, changed_at)
                values (:relation, :type, :s, :t, :added, :at)""")
                .param("relation", relationId).param("type", type).param("s", sourceId).param("t", targetId)
                .param("added", added).param("at", Timestamp.from(at))
                .update(keys, "id");
        long changeId = keys.getKey().longValue();
        rememberUncommitted(changeId);
        if (changeId % 1000 == 0) {
            jdbc.sql("delete from relation_changes where changed_at < :cutoff")
                    .param("cutoff", Timestamp.from(at.minus(CHANGE_RETENTION))).update();
        }
    }

    @SuppressWarnings("unchecked")
    private static void rememberUncommitted(long changeId) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            return; // no transaction: the row is committed already
        }
        Set<Long> own = (Set<Long>) TransactionSynchronizationManager.getResource(OWN_CHANGES);
        if (own == null) {
            Set<Long> created = new HashSet<>();
            TransactionSynchronizationManager.bindResource(OWN_CHANGES, created);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(OWN_CHANGES);
                }
            });
            own = created;
        }
        own.add(changeId);
    }

    /** Both directions, outgoing first, each ordered by type then the other CI's id. */
    List<Relation> relationsOf(long ciId, Map<String, RelationType> types) {
        String sql = """
                select r.id, r.type, r.source_id, r.target_id, r.created_at, r.created_by,
                       c.id as other_id, c.name, k.name as class_name, c.state, %s as direction
                from ci_relations r join cis c on c.id = r.%s join cmdb_classes k on k.id = c.class_id
                where r.%s = :id""";
        List<Relation> result = new ArrayList<>();
        for (String[] side : new String[][] {{"'outgoing'", "target_id", "source_id"}, {"'incoming'", "source_id", "target_id"}}) {
            result.addAll(jdbc.sql(sql.formatted(side[0], side[1], side[2]) + " order by r.type, c.id")
                    .param("id", ciId)
                    .query((rs, n) -> relation(rs, types)).list());
        }
        return result;
    }

    private static Relation relation(ResultSet rs, Map<String, RelationType> types) throws SQLException {
        String type = rs.getString("type");
        String direction = rs.getString("direction");
        RelationType t = types.get(type);
        String label = t == null ? type : direction.equals("outgoing") ? t.label() : t.inverseLabel();
        return new Relation(rs.getLong("id"), type, direction, label, rs.getLong("source_id"), rs.getLong("target_id"),
                new RelationEnd(rs.getLong("other_id"), rs.getString("name"), rs.getString("class_name"),
                        rs.getString("state")),
                rs.getTimestamp("created_at").toInstant(), rs.getString("created_by"));
    }

    private static StoredRelation stored(ResultSet rs, int n) throws SQLException {
        return new StoredRelation(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getLong(4),
                rs.getTimestamp(5).toInstant(), rs.getString(6));
    }
}
