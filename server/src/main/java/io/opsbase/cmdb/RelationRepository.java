package io.opsbase.cmdb;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import io.opsbase.cmdb.internal.GraphChangeLog;

/**
 * SQL for relation types and relations. Every insert and delete of a relation goes through here
 * and writes its {@link GraphChangeLog} row (which {@link RelationGraph} follows) in the same
 * transaction.
 */
@Repository
class RelationRepository {

    private final JdbcClient jdbc;
    private final GraphChangeLog changes;

    RelationRepository(JdbcClient jdbc, GraphChangeLog changes) {
        this.jdbc = jdbc;
        this.changes = changes;
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
        changes.relationAdded(id, type, sourceId, targetId, at);
        return id;
    }

    Optional<StoredRelation> find(long relationId) {
        return jdbc.sql("select id, type, source_id, target_id, created_at, created_by from ci_relations where id = :id")
                .param("id", relationId).query(RelationRepository::stored).optional();
    }

    void delete(StoredRelation relation, Instant at) {
        jdbc.sql("delete from ci_relations where id = :id").param("id", relation.id()).update();
        changes.relationRemoved(relation.id(), relation.type(), relation.sourceId(), relation.targetId(), at);
    }

    /** Every stored relation, in no particular order. */
    void forEachRelation(RelationSink sink) {
        jdbc.sql("select id, type, source_id, target_id from ci_relations")
                .query(rs -> {
                    sink.accept(rs.getLong(1), rs.getString(2).intern(), rs.getLong(3), rs.getLong(4));
                });
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
