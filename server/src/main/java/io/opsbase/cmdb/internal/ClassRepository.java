package io.opsbase.cmdb.internal;

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
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;

import io.opsbase.cmdb.AttributeDefinition;
import io.opsbase.cmdb.AttributeType;
import io.opsbase.cmdb.CiClass;
import io.opsbase.cmdb.Lifecycle;

/** cmdb_classes and cmdb_attributes. Removed attributes stay as rows with {@code removed_at} set. */
@Repository
public class ClassRepository {

    /** Rows of cmdb_unique_lock (V92). */
    private static final int UNIQUE_STRIPES = 4096;

    private final JdbcClient jdbc;

    ClassRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public List<CiClass> findAll() {
        Map<Long, List<AttributeDefinition>> attributes = new LinkedHashMap<>();
        jdbc.sql("select * from cmdb_attributes where removed_at is null order by class_id, position, id")
                .query((ResultSet rs) -> {
                    attributes.computeIfAbsent(rs.getLong("class_id"), k -> new ArrayList<>()).add(attribute(rs));
                });
        return jdbc.sql("select * from cmdb_classes order by name")
                .query((rs, n) -> ciClass(rs, attributes.getOrDefault(rs.getLong("id"), List.of())))
                .list();
    }

    public Optional<CiClass> findByName(String name) {
        return jdbc.sql("select * from cmdb_classes where name = :name").param("name", name)
                .query((rs, n) -> ciClass(rs, attributesOf(rs.getLong("id")))).optional();
    }

    public Optional<CiClass> findById(long id) {
        return jdbc.sql("select * from cmdb_classes where id = :id").param("id", id)
                .query((rs, n) -> ciClass(rs, attributesOf(rs.getLong("id")))).optional();
    }

    /** Locks the class row until the transaction ends, so schema edits and CI writes of a class serialise. */
    public void lock(long classId) {
        jdbc.sql("select id from cmdb_classes where id = :id for update").param("id", classId).query(Long.class).single();
    }

    /**
     * Locks, until the transaction ends, the stripe of each unique value (see cmdb_unique_lock),
     * in ascending stripe order so two writers never wait for each other crosswise.
     *
     * @param values unique values as {@link #uniqueValueKey} gives them
     */
    public void lockUniqueValues(java.util.Collection<String> values) {
        var stripes = new java.util.TreeSet<Integer>();
        values.forEach(v -> stripes.add(Math.floorMod(v.hashCode(), UNIQUE_STRIPES) + 1));
        for (int id : stripes) {
            jdbc.sql("select id from cmdb_unique_lock where id = :id for update").param("id", id).query(Integer.class).single();
        }
    }

    /** The key of one unique value: class, attribute and the value's index text. */
    public static String uniqueValueKey(long classId, String attribute, String indexText) {
        return classId + "\u0000" + attribute + "\u0000" + indexText;
    }

    public long insert(String name, String label, String description, boolean hardware, Lifecycle lifecycle, Instant now) {
        var keys = new GeneratedKeyHolder();
        jdbc.sql("""
                insert into cmdb_classes (name, label, description, builtin, hardware, lifecycle, version, created_at, updated_at)
                values (:name, :label, :description, false, :hardware, :lifecycle, 1, :now, :now)""")
                .param("name", name).param("label", label).param("description", description)
                .param("hardware", hardware).param("lifecycle", CmdbJson.write(lifecycle))
                .param("now", Timestamp.from(now))
                .update(keys, "id");
        return keys.getKey().longValue();
    }

    public void update(long id, String label, String description, Lifecycle lifecycle, Instant now) {
        jdbc.sql("""
                update cmdb_classes set label = :label, description = :description, lifecycle = :lifecycle,
                    version = version + 1, updated_at = :now where id = :id""")
                .param("label", label).param("description", description).param("lifecycle", CmdbJson.write(lifecycle))
                .param("now", Timestamp.from(now)).param("id", id).update();
    }

    public void touch(long id, Instant now) {
        jdbc.sql("update cmdb_classes set version = version + 1, updated_at = :now where id = :id")
                .param("now", Timestamp.from(now)).param("id", id).update();
    }

    public void insertAttribute(long classId, AttributeDefinition a, int position) {
        jdbc.sql("""
                insert into cmdb_attributes (class_id, name, label, type, required, unique_in_class, pattern,
                    default_value, enum_values, ref_class, position)
                values (:classId, :name, :label, :type, :required, :unique, :pattern, :defaultValue, :enumValues,
                    :refClass, :position)""")
                .param("classId", classId).param("name", a.name()).param("label", a.label())
                .param("type", a.type().key()).param("required", a.required()).param("unique", a.unique())
                .param("pattern", a.pattern()).param("defaultValue", CmdbJson.write(a.defaultValue()))
                .param("enumValues", a.enumValues().isEmpty() ? null : CmdbJson.write(a.enumValues()))
                .param("refClass", a.refClass()).param("position", position)
                .update();
    }

    public void removeAttribute(long classId, String name, Instant now) {
        jdbc.sql("update cmdb_attributes set removed_at = :now where class_id = :classId and name = :name and removed_at is null")
                .param("now", Timestamp.from(now)).param("classId", classId).param("name", name).update();
    }

    public int nextPosition(long classId) {
        return jdbc.sql("select coalesce(max(position), -1) + 1 from cmdb_attributes where class_id = :id")
                .param("id", classId).query(Integer.class).single();
    }

    public long countLiveCis(long classId) {
        return jdbc.sql("select count(*) from cis where class_id = :id and retired_at is null")
                .param("id", classId).query(Long.class).single();
    }

    /** States that CIs of the class are in now (retired ones included: they keep their state). */
    public List<String> statesInUse(long classId) {
        return jdbc.sql("select distinct state from cis where class_id = :id order by state")
                .param("id", classId).query(String.class).list();
    }

    private List<AttributeDefinition> attributesOf(long classId) {
        return jdbc.sql("select * from cmdb_attributes where class_id = :id and removed_at is null order by position, id")
                .param("id", classId).query((rs, n) -> attribute(rs)).list();
    }

    private static AttributeDefinition attribute(ResultSet rs) throws SQLException {
        String enumValues = rs.getString("enum_values");
        return new AttributeDefinition(rs.getString("name"), rs.getString("label"), AttributeType.fromKey(rs.getString("type")),
                rs.getBoolean("required"), rs.getBoolean("unique_in_class"), rs.getString("pattern"),
                CmdbJson.readValue(rs.getString("default_value")), CmdbJson.readStrings(enumValues),
                rs.getString("ref_class"));
    }

    private static CiClass ciClass(ResultSet rs, List<AttributeDefinition> attributes) throws SQLException {
        return new CiClass(rs.getLong("id"), rs.getString("name"), rs.getString("label"), rs.getString("description"),
                rs.getBoolean("builtin"), rs.getBoolean("hardware"), CmdbJson.read(rs.getString("lifecycle"), Lifecycle.class),
                attributes, rs.getInt("version"), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }
}
