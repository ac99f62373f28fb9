package io.opsbase.cmdb.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;

import io.opsbase.cmdb.CiComponent;

/** ci_components. A removed component keeps its row with {@code removed_at}; lists show live ones. */
@Repository
public class ComponentRepository {

    private final JdbcClient jdbc;
    private final NamedParameterJdbcTemplate batch;

    ComponentRepository(JdbcClient jdbc, NamedParameterJdbcTemplate batch) {
        this.jdbc = jdbc;
        this.batch = batch;
    }

    public List<CiComponent> findLive(long ciId, String kind) {
        return jdbc.sql("""
                select * from ci_components where ci_id = :ciId and removed_at is null
                  and (cast(:kind as varchar(16)) is null or kind = :kind)
                order by kind, identity_key""")
                .param("ciId", ciId).param("kind", kind).query(ComponentRepository::map).list();
    }

    public Optional<CiComponent> findLive(long ciId, long componentId) {
        return jdbc.sql("select * from ci_components where id = :id and ci_id = :ciId and removed_at is null")
                .param("id", componentId).param("ciId", ciId).query(ComponentRepository::map).optional();
    }

    public long insert(long ciId, String kind, String identity, Map<String, Object> attributes, Instant now) {
        var keys = new GeneratedKeyHolder();
        jdbc.sql("""
                insert into ci_components (ci_id, kind, identity_key, attributes, created_at, updated_at)
                values (:ciId, :kind, :identity, :attributes, :now, :now)""")
                .param("ciId", ciId).param("kind", kind).param("identity", identity)
                .param("attributes", CmdbJson.write(attributes)).param("now", Timestamp.from(now))
                .update(keys, "id");
        return keys.getKey().longValue();
    }

    /** Inserts components of one kind in one JDBC batch, for callers that do not need their ids. */
    public void insertAll(long ciId, String kind, List<Map.Entry<String, Map<String, Object>>> identitiesAndAttributes,
            Instant now) {
        SqlParameterSource[] params = new SqlParameterSource[identitiesAndAttributes.size()];
        for (int i = 0; i < params.length; i++) {
            var c = identitiesAndAttributes.get(i);
            params[i] = new MapSqlParameterSource().addValue("ciId", ciId).addValue("kind", kind)
                    .addValue("identity", c.getKey()).addValue("attributes", CmdbJson.write(c.getValue()))
                    .addValue("now", Timestamp.from(now));
        }
        if (params.length > 0) {
            batch.batchUpdate("""
                    insert into ci_components (ci_id, kind, identity_key, attributes, created_at, updated_at)
                    values (:ciId, :kind, :identity, :attributes, :now, :now)""", params);
        }
    }

    public void updateAttributes(long id, Map<String, Object> attributes, Instant now) {
        jdbc.sql("update ci_components set attributes = :attributes, updated_at = :now where id = :id")
                .param("attributes", CmdbJson.write(attributes)).param("now", Timestamp.from(now)).param("id", id).update();
    }

    public void markRemoved(long id, Instant now) {
        jdbc.sql("update ci_components set removed_at = :now, updated_at = :now where id = :id")
                .param("now", Timestamp.from(now)).param("id", id).update();
    }

    private static CiComponent map(ResultSet rs, int n) throws SQLException {
        return new CiComponent(rs.getLong("id"), rs.getLong("ci_id"), rs.getString("kind"), rs.getString("identity_key"),
                CmdbJson.readMap(rs.getString("attributes")), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }
}
