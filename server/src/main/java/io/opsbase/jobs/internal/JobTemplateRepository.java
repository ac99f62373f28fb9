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

import io.opsbase.jobs.JobDefinition;
import io.opsbase.jobs.JobTemplate;
import io.opsbase.jobs.TemplateVersion;

@Repository
public class JobTemplateRepository {

    private final JdbcClient jdbc;

    JobTemplateRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public long insert(String name, String description, JobDefinition definition, String actor, Instant now) {
        var keys = new GeneratedKeyHolder();
        jdbc.sql("""
                insert into job_templates (name, description, current_version, created_by, created_at, updated_at)
                values (:n, :d, 1, :by, :now, :now)""")
                .param("n", name).param("d", description).param("by", actor).param("now", Timestamp.from(now))
                .update(keys, "id");
        long id = keys.getKey().longValue();
        insertVersion(id, 1, definition, actor, now);
        return id;
    }

    /** Adds version {@code current + 1}; false when the current version is no longer {@code expected}. */
    public boolean addVersion(long id, int expected, String name, String description, JobDefinition definition,
            String actor, Instant now) {
        int changed = jdbc.sql("""
                update job_templates set current_version = current_version + 1, name = :n, description = :d, updated_at = :now
                where id = :id and current_version = :v and deleted_at is null""")
                .param("n", name).param("d", description).param("now", Timestamp.from(now)).param("id", id)
                .param("v", expected).update();
        if (changed == 0) {
            return false;
        }
        insertVersion(id, expected + 1, definition, actor, now);
        return true;
    }

    private void insertVersion(long id, int version, JobDefinition definition, String actor, Instant now) {
        jdbc.sql("insert into job_template_versions (template_id, version, definition, created_by, created_at) values (:t, :v, :d, :by, :now)")
                .param("t", id).param("v", version).param("d", JobJson.write(definition)).param("by", actor)
                .param("now", Timestamp.from(now)).update();
    }

    public boolean delete(long id, Instant now) {
        return jdbc.sql("update job_templates set deleted_at = :now, name = concat(name, concat(' (deleted ', concat(cast(id as varchar(20)), ')')))"
                        + " where id = :id and deleted_at is null")
                .param("now", Timestamp.from(now)).param("id", id).update() == 1;
    }

    public boolean nameTaken(String name, Long exceptId) {
        return jdbc.sql("select count(*) from job_templates where name = :n and id <> :id")
                .param("n", name).param("id", exceptId == null ? -1L : exceptId).query(Long.class).single() > 0;
    }

    public Optional<JobTemplate> find(long id) {
        return jdbc.sql("""
                select t.*, v.definition from job_templates t join job_template_versions v
                  on v.template_id = t.id and v.version = t.current_version
                where t.id = :id and t.deleted_at is null""")
                .param("id", id).query(JobTemplateRepository::map).optional();
    }

    public List<JobTemplate> list() {
        return jdbc.sql("""
                select t.*, v.definition from job_templates t join job_template_versions v
                  on v.template_id = t.id and v.version = t.current_version
                where t.deleted_at is null order by t.name""")
                .query(JobTemplateRepository::map).list();
    }

    public List<TemplateVersion> versions(long id) {
        return jdbc.sql("select * from job_template_versions where template_id = :id order by version desc")
                .param("id", id).query(JobTemplateRepository::mapVersion).list();
    }

    public Optional<TemplateVersion> version(long id, int version) {
        return jdbc.sql("select * from job_template_versions where template_id = :id and version = :v")
                .param("id", id).param("v", version).query(JobTemplateRepository::mapVersion).optional();
    }

    private static JobTemplate map(ResultSet rs, int n) throws SQLException {
        return new JobTemplate(rs.getLong("id"), rs.getString("name"), rs.getString("description"),
                rs.getInt("current_version"), JobJson.read(rs.getString("definition"), JobDefinition.class),
                rs.getString("created_by"), RunRepository.instant(rs, "created_at"), RunRepository.instant(rs, "updated_at"));
    }

    private static TemplateVersion mapVersion(ResultSet rs, int n) throws SQLException {
        return new TemplateVersion(rs.getLong("template_id"), rs.getInt("version"),
                JobJson.read(rs.getString("definition"), JobDefinition.class), rs.getString("created_by"),
                RunRepository.instant(rs, "created_at"));
    }
}
