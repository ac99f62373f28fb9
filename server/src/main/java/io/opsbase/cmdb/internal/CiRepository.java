package io.opsbase.cmdb.internal;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;

import io.opsbase.cmdb.ConfigurationItem;

/**
 * The cis table and its search companions. Invariant kept by {@link CiWriter}: after every
 * write, ci_values holds exactly one row per attribute with a value, ci_tags exactly the CI's
 * tags, and cis.search_text the lower-case free-text terms.
 */
@Repository
public class CiRepository {

    private static final String SELECT = """
            select c.*, k.name as class_name from cis c join cmdb_classes k on k.id = c.class_id""";

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;

    CiRepository(JdbcClient jdbc, JdbcTemplate batch) {
        this.jdbc = jdbc;
        this.batch = batch;
    }

    /** A CI row with its class id, as the writer needs it. */
    public record StoredCi(ConfigurationItem item, long classId, Instant retiredAt) {
    }

    /** One row of ci_values. */
    public record IndexedValue(String name, String text, BigDecimal number, Instant time) {
    }

    public Optional<StoredCi> find(long id) {
        return jdbc.sql(SELECT + " where c.id = :id").param("id", id).query(CiRepository::map).optional()
                .map(this::withTags);
    }

    /** Reads and locks the row, so concurrent writers of one CI serialise and the version check holds. */
    public Optional<StoredCi> findForUpdate(long id) {
        jdbc.sql("select id from cis where id = :id for update").param("id", id).query(Long.class).optional();
        return find(id);
    }

    /** Names by id; ids with no CI are left out. */
    public java.util.Map<Long, String> names(Collection<Long> ids) {
        var names = new java.util.HashMap<Long, String>();
        if (!ids.isEmpty()) {
            jdbc.sql("select id, name from cis where id in (:ids)").param("ids", List.copyOf(ids))
                    .query((rs, n) -> names.put(rs.getLong("id"), rs.getString("name"))).list();
        }
        return names;
    }

    public List<ConfigurationItem> findAll(Collection<Long> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        List<StoredCi> rows = jdbc.sql(SELECT + " where c.id in (:ids)").param("ids", ids).query(CiRepository::map).list();
        Map<Long, List<String>> tags = tagsOf(ids);
        Map<Long, ConfigurationItem> byId = new java.util.HashMap<>();
        for (StoredCi row : rows) {
            byId.put(row.item().id(), withTags(row.item(), tags.getOrDefault(row.item().id(), List.of())));
        }
        // In the order asked for: callers pass ids already sorted.
        return ids.stream().map(byId::get).filter(java.util.Objects::nonNull).toList();
    }

    public long insert(long classId, String name, String state, String ownerTeam, String attributesJson,
            String searchText, Instant now) {
        var keys = new GeneratedKeyHolder();
        jdbc.sql("""
                insert into cis (class_id, name, state, owner_team, attributes, search_text, version, created_at, updated_at)
                values (:classId, :name, :state, :owner, :attributes, :search, 1, :now, :now)""")
                .param("classId", classId).param("name", name).param("state", state).param("owner", ownerTeam)
                .param("attributes", attributesJson).param("search", searchText).param("now", Timestamp.from(now))
                .update(keys, "id");
        return keys.getKey().longValue();
    }

    /** Writes the new document when the row still has {@code expectedVersion}; false when someone else won. */
    public boolean update(long id, int expectedVersion, String name, String state, String ownerTeam,
            String attributesJson, String searchText, Instant now, Instant retiredAt) {
        return jdbc.sql("""
                update cis set name = :name, state = :state, owner_team = :owner, attributes = :attributes,
                    search_text = :search, version = version + 1, updated_at = :now, retired_at = :retired
                where id = :id and version = :version""")
                .param("name", name).param("state", state).param("owner", ownerTeam).param("attributes", attributesJson)
                .param("search", searchText).param("now", Timestamp.from(now))
                .param("retired", retiredAt == null ? null : Timestamp.from(retiredAt))
                .param("id", id).param("version", expectedVersion)
                .update() == 1;
    }

    /** Deletes and re-inserts the CI's index rows; the inserts go as one JDBC batch. */
    /**
     * Makes the CI's index rows exactly {@code values}. Only the attributes whose rows differ are
     * rewritten (deleted and inserted again): an update usually changes one or two of a CI's dozen
     * values, and rewriting all of them cost four index updates per row.
     */
    public void replaceValues(long ciId, List<IndexedValue> values) {
        Map<String, List<IndexedValue>> stored = new HashMap<>();
        jdbc.sql("select name, text_value, num_value, time_value from ci_values where ci_id = :id").param("id", ciId)
                .query((rs, n) -> new IndexedValue(rs.getString(1), rs.getString(2), rs.getBigDecimal(3),
                        rs.getTimestamp(4) == null ? null : rs.getTimestamp(4).toInstant()))
                .list().forEach(v -> stored.computeIfAbsent(v.name(), k -> new ArrayList<>()).add(v));
        Map<String, List<IndexedValue>> wanted = new HashMap<>();
        values.forEach(v -> wanted.computeIfAbsent(v.name(), k -> new ArrayList<>()).add(v));
        Set<String> changed = new HashSet<>();
        stored.forEach((name, rows) -> {
            if (!sameRows(rows, wanted.get(name))) {
                changed.add(name);
            }
        });
        wanted.forEach((name, rows) -> {
            if (!sameRows(rows, stored.get(name))) {
                changed.add(name);
            }
        });
        if (changed.isEmpty()) {
            return;
        }
        jdbc.sql("delete from ci_values where ci_id = :id and name in (:names)").param("id", ciId)
                .param("names", List.copyOf(changed)).update();
        insertValues(ciId, values.stream().filter(v -> changed.contains(v.name())).toList());
    }

    /**
     * Same rows in any order (numbers compared by value). Anything else — a repeated row, a time
     * read back at another precision — counts as changed and is rewritten, as every row was before.
     */
    private static boolean sameRows(List<IndexedValue> a, List<IndexedValue> b) {
        if (b == null || a.size() != b.size()) {
            return false;
        }
        Set<IndexedValue> x = new HashSet<>(a.stream().map(CiRepository::byValue).toList());
        Set<IndexedValue> y = new HashSet<>(b.stream().map(CiRepository::byValue).toList());
        return x.size() == a.size() && y.size() == b.size() && x.equals(y);
    }

    private static IndexedValue byValue(IndexedValue v) {
        return v.number() == null ? v : new IndexedValue(v.name(), v.text(), v.number().stripTrailingZeros(), v.time());
    }

    /** For a new CI, which has no index rows yet. */
    public void insertValues(long ciId, List<IndexedValue> values) {
        if (values.isEmpty()) {
            return;
        }
        batch.batchUpdate("insert into ci_values (ci_id, name, text_value, num_value, time_value) values (?, ?, ?, ?, ?)",
                values, values.size(), (ps, v) -> {
                    ps.setLong(1, ciId);
                    ps.setString(2, v.name());
                    ps.setString(3, v.text());
                    ps.setBigDecimal(4, v.number());
                    ps.setTimestamp(5, v.time() == null ? null : Timestamp.from(v.time()));
                });
    }

    public void replaceTags(long ciId, List<String> tags) {
        jdbc.sql("delete from ci_tags where ci_id = :id").param("id", ciId).update();
        insertTags(ciId, tags);
    }

    public void insertTags(long ciId, List<String> tags) {
        if (tags.isEmpty()) {
            return;
        }
        batch.batchUpdate("insert into ci_tags (ci_id, tag) values (?, ?)", tags, tags.size(), (ps, tag) -> {
            ps.setLong(1, ciId);
            ps.setString(2, tag);
        });
    }

    /** Whether a CI of the named class with this id exists and is not retired. */
    public boolean isLiveOfClass(long ciId, String className) {
        return jdbc.sql("""
                select count(*) from cis c join cmdb_classes k on k.id = c.class_id
                where c.id = :id and k.name = :cls and c.retired_at is null""")
                .param("id", ciId).param("cls", className).query(Long.class).single() > 0;
    }

    /** Another live CI of the class that has this (lower-case) value for the attribute, if any. */
    public Optional<Long> holderOf(long classId, String attribute, String text, long exceptCiId) {
        // Two single-table lookups, each with one index it can use: the holders of the value from
        // (name, text_value, ci_id), then those CIs by key. Joined in one statement, H2 planned it
        // while the tables were small (starting from the class's CIs) and kept that plan in its
        // statement cache, so each new CI cost a walk over every CI of its class
        // (docs/benchmarks.md, "Agents and discovery").
        List<Long> holders = jdbc.sql("select ci_id from ci_values where name = :name and text_value = :text")
                .param("name", attribute).param("text", text).query(Long.class).list();
        if (holders.isEmpty()) {
            return Optional.empty();
        }
        return jdbc.sql("select id, class_id, retired_at from cis where id in (:ids) order by id")
                .param("ids", holders.stream().distinct().limit(1000).toList())
                .query((rs, n) -> rs.getLong("class_id") == classId && rs.getTimestamp("retired_at") == null
                        && rs.getLong("id") != exceptCiId ? rs.getLong("id") : null)
                .list().stream().filter(java.util.Objects::nonNull).findFirst();
    }

    /** Live CIs of the class holding a value for the attribute. */
    public List<Long> idsWithValue(long classId, String attribute) {
        return jdbc.sql("""
                select c.id from ci_values v join cis c on c.id = v.ci_id
                where v.name = :name and c.class_id = :classId order by c.id""")
                .param("name", attribute).param("classId", classId).query(Long.class).list();
    }

    public List<Long> liveIdsOfClass(long classId) {
        return jdbc.sql("select id from cis where class_id = :classId and retired_at is null order by id")
                .param("classId", classId).query(Long.class).list();
    }

    private StoredCi withTags(StoredCi row) {
        List<String> tags = tagsOf(List.of(row.item().id())).getOrDefault(row.item().id(), List.of());
        return new StoredCi(withTags(row.item(), tags), row.classId(), row.retiredAt());
    }

    private static ConfigurationItem withTags(ConfigurationItem c, List<String> tags) {
        return new ConfigurationItem(c.id(), c.className(), c.name(), c.state(), c.attributes(), c.ownerTeam(), tags,
                c.createdAt(), c.updatedAt(), c.version(), c.retired());
    }

    private Map<Long, List<String>> tagsOf(Collection<Long> ids) {
        Map<Long, List<String>> tags = new java.util.HashMap<>();
        jdbc.sql("select ci_id, tag from ci_tags where ci_id in (:ids) order by ci_id, tag").param("ids", ids)
                .query((ResultSet rs) -> {
                    tags.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(rs.getString(2));
                });
        return tags;
    }

    private static StoredCi map(ResultSet rs, int n) throws SQLException {
        Timestamp retired = rs.getTimestamp("retired_at");
        var item = new ConfigurationItem(rs.getLong("id"), rs.getString("class_name"), rs.getString("name"),
                rs.getString("state"), CmdbJson.readMap(rs.getString("attributes")), rs.getString("owner_team"),
                List.of(), rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant(),
                rs.getInt("version"), retired != null);
        return new StoredCi(item, rs.getLong("class_id"), retired == null ? null : retired.toInstant());
    }
}
