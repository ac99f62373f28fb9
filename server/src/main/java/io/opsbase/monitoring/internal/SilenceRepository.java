package io.opsbase.monitoring.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;

import io.opsbase.monitoring.Silence;

/** The {@code alert_silences} table. Expiring a silence early sets its end to now; nothing is deleted. */
@Repository
public class SilenceRepository {

    private final JdbcClient jdbc;

    SilenceRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public long insert(Map<String, String> matchers, Instant startsAt, Instant endsAt, String comment, String user, Instant now) {
        var keys = new GeneratedKeyHolder();
        jdbc.sql("""
                insert into alert_silences (matchers, starts_at, ends_at, comment, created_by, created_at)
                values (:m, :s, :e, :c, :u, :now)""")
                .param("m", LabelsJson.write(matchers)).param("s", Timestamp.from(startsAt)).param("e", Timestamp.from(endsAt))
                .param("c", comment).param("u", user).param("now", Timestamp.from(now)).update(keys, "id");
        return keys.getKey().longValue();
    }

    public Optional<Silence> find(long id) {
        return jdbc.sql("select * from alert_silences where id = :id").param("id", id).query(SilenceRepository::map).optional();
    }

    /** Silences not yet ended at {@code now} (active or scheduled), by start. */
    public List<Silence> current(Instant now) {
        return jdbc.sql("select * from alert_silences where ends_at > :now order by starts_at, id")
                .param("now", Timestamp.from(now)).query(SilenceRepository::map).list();
    }

    public void expire(long id, Instant now) {
        jdbc.sql("update alert_silences set ends_at = :now where id = :id and ends_at > :now")
                .param("now", Timestamp.from(now)).param("id", id).update();
    }

    private static Silence map(ResultSet rs, int n) throws SQLException {
        return new Silence(rs.getLong("id"), LabelsJson.read(rs.getString("matchers")), rs.getTimestamp("starts_at").toInstant(),
                rs.getTimestamp("ends_at").toInstant(), rs.getString("comment"), rs.getString("created_by"),
                rs.getTimestamp("created_at").toInstant());
    }
}
