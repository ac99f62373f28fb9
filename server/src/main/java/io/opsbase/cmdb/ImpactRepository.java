package io.opsbase.cmdb;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The CI rows impact analysis reports (name, class, state, whether retired), read in one query for
 * all the reached CIs that {@link RelationGraph} has not cached yet.
 */
@Repository
class ImpactRepository {

    /** A CI as the impact graph shows it. */
    record CiRow(long id, String name, String className, String state, boolean retired) {

        ImpactGraph.Node node(int depth) {
            return new ImpactGraph.Node(id, name, className, state, depth);
        }
    }

    private final JdbcTemplate jdbc;

    ImpactRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The rows of the given CIs that exist, by id. One statement: the ids go as one array parameter. */
    Map<Long, CiRow> cis(Collection<Long> ids) {
        Map<Long, CiRow> rows = new HashMap<>(ids.size() * 2);
        if (ids.isEmpty()) {
            return rows;
        }
        jdbc.query(con -> {
            PreparedStatement ps = con.prepareStatement("""
                    select c.id, c.name, k.name, c.state, c.retired_at from cis c join cmdb_classes k on k.id = c.class_id
                    where c.id = any(?)""");
            Array array = con.createArrayOf("bigint", ids.toArray());
            ps.setArray(1, array);
            return ps;
        }, rs -> {
            CiRow row = new CiRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getTimestamp(5) != null);
            rows.put(row.id(), row);
        });
        return rows;
    }
}
