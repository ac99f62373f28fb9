package io.opsbase.monitoring.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;

import io.opsbase.monitoring.AlertRule;
import io.opsbase.monitoring.NotificationChannel;
import io.opsbase.platform.SecretCipher;

/**
 * The {@code notification_channels} table. Targets and secrets are sealed with the
 * {@link SecretCipher} (the server must read them back to send); the public view masks the target.
 */
@Repository
public class ChannelRepository {

    /** A channel with its target and secret opened, for sending only. */
    public record Sendable(NotificationChannel channel, String target, String secret) {

        @Override
        public String toString() {
            return "Sendable[" + channel.name() + "]";
        }
    }

    private final JdbcClient jdbc;
    private final SecretCipher cipher;

    ChannelRepository(JdbcClient jdbc, SecretCipher cipher) {
        this.jdbc = jdbc;
        this.cipher = cipher;
    }

    public List<NotificationChannel> all() {
        return jdbc.sql("select * from notification_channels order by name").query(this::view).list();
    }

    public Optional<NotificationChannel> find(long id) {
        return jdbc.sql("select * from notification_channels where id = :id").param("id", id).query(this::view).optional();
    }

    public Optional<Sendable> sendable(long id) {
        return jdbc.sql("select * from notification_channels where id = :id").param("id", id).query(this::mapSendable).optional();
    }

    public List<Sendable> enabled() {
        return jdbc.sql("select * from notification_channels where enabled = true order by id").query(this::mapSendable).list();
    }

    public boolean nameTaken(String name, long exceptId) {
        return jdbc.sql("select count(*) from notification_channels where name = :n and id <> :id").param("n", name)
                .param("id", exceptId).query(Long.class).single() > 0;
    }

    public long insert(String name, NotificationChannel.Type type, String target, String secret, AlertRule.Severity min,
            Duration groupWait, Duration repeat, boolean enabled, Instant now) {
        var keys = new GeneratedKeyHolder();
        jdbc.sql("""
                insert into notification_channels (name, type, target_sealed, secret_sealed, min_severity, group_wait_seconds,
                    repeat_seconds, enabled, created_at, updated_at)
                values (:name, :type, :target, :secret, :min, :wait, :repeat, :enabled, :now, :now)""")
                .param("name", name).param("type", type.key()).param("target", cipher.encrypt(target))
                .param("secret", secret == null ? null : cipher.encrypt(secret)).param("min", min.key())
                .param("wait", groupWait.toSeconds()).param("repeat", repeat.toSeconds()).param("enabled", enabled)
                .param("now", Timestamp.from(now)).update(keys, "id");
        return keys.getKey().longValue();
    }

    /** Updates a channel; a null target or secret keeps the stored one. */
    public void update(long id, String name, NotificationChannel.Type type, String target, String secret, AlertRule.Severity min,
            Duration groupWait, Duration repeat, boolean enabled, Instant now) {
        jdbc.sql("""
                update notification_channels set name = :name, type = :type,
                    target_sealed = coalesce(:target, target_sealed), secret_sealed = coalesce(:secret, secret_sealed),
                    min_severity = :min, group_wait_seconds = :wait, repeat_seconds = :repeat, enabled = :enabled, updated_at = :now
                where id = :id""")
                .param("name", name).param("type", type.key()).param("target", target == null ? null : cipher.encrypt(target))
                .param("secret", secret == null ? null : cipher.encrypt(secret)).param("min", min.key())
                .param("wait", groupWait.toSeconds()).param("repeat", repeat.toSeconds()).param("enabled", enabled)
                .param("now", Timestamp.from(now)).param("id", id).update();
    }

    public void disable(long id, Instant now) {
        jdbc.sql("update notification_channels set enabled = false, updated_at = :now where id = :id")
                .param("now", Timestamp.from(now)).param("id", id).update();
    }

    private NotificationChannel view(ResultSet rs, int n) throws SQLException {
        return new NotificationChannel(rs.getLong("id"), rs.getString("name"), NotificationChannel.Type.of(rs.getString("type")),
                mask(cipher.decrypt(rs.getString("target_sealed"))), rs.getString("secret_sealed") != null,
                AlertRule.Severity.of(rs.getString("min_severity")), Duration.ofSeconds(rs.getLong("group_wait_seconds")),
                Duration.ofSeconds(rs.getLong("repeat_seconds")), rs.getBoolean("enabled"), rs.getTimestamp("updated_at").toInstant());
    }

    private Sendable mapSendable(ResultSet rs, int n) throws SQLException {
        String secret = rs.getString("secret_sealed");
        return new Sendable(view(rs, n), cipher.decrypt(rs.getString("target_sealed")), secret == null ? null : cipher.decrypt(secret));
    }

    /** {@code https://oapi.dingtalk.com/robot/send?access_token=abc…} → {@code https://oapi.dingtalk.com/…}; addresses stay. */
    static String mask(String target) {
        if (!target.startsWith("http")) {
            return target;
        }
        int hostEnd = target.indexOf('/', target.indexOf("//") + 2);
        return hostEnd < 0 ? target : target.substring(0, hostEnd) + "/…";
    }
}
