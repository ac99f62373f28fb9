package io.opsbase.jobs.schedule;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;

import io.opsbase.protocol.ProtocolJson;
import tools.jackson.core.type.TypeReference;

/** The {@code job_schedules} table. */
@Repository
class JobScheduleRepository {

    private static final String COLUMNS = "id, name, template_id, cron, time_zone, parameters, misfire, enabled, next_fire_at, "
            + "last_fire_at, last_outcome, last_run_id, last_error, updated_at";
    private static final TypeReference<TreeMap<String, String>> PARAMETERS = new TypeReference<>() { };

    private final JdbcClient jdbc;

    JobScheduleRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<JobSchedule> all() {
        return jdbc.sql("select " + COLUMNS + " from job_schedules order by name").query(JobScheduleRepository::map).list();
    }

    Optional<JobSchedule> find(long id) {
        return jdbc.sql("select " + COLUMNS + " from job_schedules where id = :id").param("id", id)
                .query(JobScheduleRepository::map).optional();
    }

    boolean nameTaken(String name, long exceptId) {
        return jdbc.sql("select count(*) from job_schedules where name = :n and id <> :id").param("n", name)
                .param("id", exceptId).query(Long.class).single() > 0;
    }

    /**
     * Locks up to {@code limit} enabled schedules due at {@code now}, oldest first, skipping rows another node has
     * locked; the locks last until the caller's transaction ends. {@code for update skip locked} is understood by
     * PostgreSQL and by H2 2.2 and later alike.
     */
    List<JobSchedule> claimDue(Instant now, int limit) {
        return jdbc.sql("select " + COLUMNS + " from job_schedules where enabled = true and next_fire_at <= :now "
                + "order by next_fire_at, id limit :limit for update skip locked")
                .param("now", Timestamp.from(now)).param("limit", limit).query(JobScheduleRepository::map).list();
    }

    long insert(JobSchedule s) {
        var keys = new GeneratedKeyHolder();
        bind(jdbc.sql("""
                insert into job_schedules (name, template_id, cron, time_zone, parameters, misfire, enabled, next_fire_at,
                    updated_at)
                values (:name, :template, :cron, :zone, :parameters, :misfire, :enabled, :next, :updated)"""), s)
                .update(keys, "id");
        return keys.getKey().longValue();
    }

    void update(JobSchedule s) {
        bind(jdbc.sql("""
                update job_schedules set name = :name, template_id = :template, cron = :cron, time_zone = :zone,
                    parameters = :parameters, misfire = :misfire, enabled = :enabled, next_fire_at = :next,
                    updated_at = :updated
                where id = :id"""), s).param("id", s.id()).update();
    }

    void recordFire(long id, Instant firedAt, String outcome, Long runId, String error, Instant next) {
        jdbc.sql("""
                update job_schedules set last_fire_at = :fired, last_outcome = :outcome, last_run_id = :run,
                    last_error = :error, next_fire_at = :next
                where id = :id""")
                .param("fired", Timestamp.from(firedAt)).param("outcome", outcome).param("run", runId)
                .param("error", error == null || error.length() <= 2000 ? error : error.substring(0, 1999) + "…")
                .param("next", next == null ? null : Timestamp.from(next)).param("id", id).update();
    }

    void delete(long id) {
        jdbc.sql("delete from job_schedules where id = :id").param("id", id).update();
    }

    private static JdbcClient.StatementSpec bind(JdbcClient.StatementSpec sql, JobSchedule s) {
        return sql.param("name", s.name()).param("template", s.templateId()).param("cron", s.cron())
                .param("zone", s.timeZone()).param("parameters", writeParameters(s.parameters()))
                .param("misfire", s.misfire().key()).param("enabled", s.enabled())
                .param("next", s.nextFireAt() == null ? null : Timestamp.from(s.nextFireAt()))
                .param("updated", Timestamp.from(s.updatedAt()));
    }

    static String writeParameters(Map<String, String> parameters) {
        return ProtocolJson.mapper().writeValueAsString(new TreeMap<>(parameters));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private static JobSchedule map(ResultSet rs, int n) throws SQLException {
        long run = rs.getLong("last_run_id");
        Long runId = rs.wasNull() ? null : run;
        return new JobSchedule(rs.getLong("id"), rs.getString("name"), rs.getLong("template_id"), rs.getString("cron"),
                rs.getString("time_zone"), Map.copyOf(ProtocolJson.mapper().readValue(rs.getString("parameters"), PARAMETERS)),
                MisfirePolicy.of(rs.getString("misfire")), rs.getBoolean("enabled"), instant(rs, "next_fire_at"),
                instant(rs, "last_fire_at"), rs.getString("last_outcome"), runId, rs.getString("last_error"),
                instant(rs, "updated_at"));
    }
}
