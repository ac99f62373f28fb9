package io.opsbase.jobs.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;

import io.opsbase.jobs.HostGroup;

@Repository
public class HostGroupRepository {

    private final JdbcClient jdbc;

    HostGroupRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public long insert(String name, String description, List<Long> ciIds, String query, String actor, Instant now) {
        var keys = new GeneratedKeyHolder();
        jdbc.sql("""
                insert into job_host_groups (name, description, ci_ids, query, created_by, created_at, updated_at)
                values (:n, :d, :ids, :q, :by, :now, :now)""")
                .param("n", name).param("d", description).param("ids", JobJson.write(ciIds)).param("q", query)
                .param("by", actor).param("now", Timestamp.from(now)).update(keys, "id");
        return keys.getKey().longValue();
    }

    public boolean update(long id, String name, String description, List<Long> ciIds, String query, Instant now) {
        return jdbc.sql("update job_host_groups set name = :n, description = :d, ci_ids = :ids, query = :q, updated_at = :now where id = :id")
                .param("n", name).param("d", description).param("ids", JobJson.write(ciIds)).param("q", query)
                .param("now", Timestamp.from(now)).param("id", id).update() == 1;
    }

    public boolean delete(long id) {
        return jdbc.sql("delete from job_host_groups where id = :id").param("id", id).update() == 1;
    }

    public boolean nameTaken(String name, Long exceptId) {
        return jdbc.sql("select count(*) from job_host_groups where name = :n and id <> :id")
                .param("n", name).param("id", exceptId == null ? -1L : exceptId).query(Long.class).single() > 0;
    }

    public Optional<HostGroup> find(long id) {
        return jdbc.sql("select * from job_host_groups where id = :id").param("id", id).query(HostGroupRepository::map).optional();
    }

    public List<HostGroup> list() {
        return jdbc.sql("select * from job_host_groups order by name").query(HostGroupRepository::map).list();
    }

    private static HostGroup map(ResultSet rs, int n) throws SQLException {
        return new HostGroup(rs.getLong("id"), rs.getString("name"), rs.getString("description"),
                JobJson.readIds(rs.getString("ci_ids")), rs.getString("query"), rs.getString("created_by"),
                RunRepository.instant(rs, "created_at"), RunRepository.instant(rs, "updated_at"));
    }
}
