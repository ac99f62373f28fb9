package io.opsbase.monitoring.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;

import io.opsbase.monitoring.NotificationDelivery;

/** The delivery log ({@code notification_deliveries}) and the per-alert, per-channel last-told marks. */
@Repository
public class DeliveryRepository {

    private static final String SELECT = "select d.*, c.name as channel_name from notification_deliveries d "
            + "join notification_channels c on c.id = d.channel_id";

    private final JdbcClient jdbc;

    DeliveryRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public long insert(long channelId, String kind, List<Long> alertIds, Instant notBefore, Instant now) {
        var keys = new GeneratedKeyHolder();
        jdbc.sql("""
                insert into notification_deliveries (channel_id, kind, alert_ids, status, not_before, created_at)
                values (:c, :k, :a, 'pending', :nb, :now)""")
                .param("c", channelId).param("k", kind).param("a", join(alertIds)).param("nb", Timestamp.from(notBefore))
                .param("now", Timestamp.from(now)).update(keys, "id");
        return keys.getKey().longValue();
    }

    /** Pending deliveries due at {@code now}, oldest first. */
    public List<NotificationDelivery> due(Instant now) {
        return jdbc.sql(SELECT + " where d.status = 'pending' and d.not_before <= :now order by d.id")
                .param("now", Timestamp.from(now)).query(DeliveryRepository::map).list();
    }

    /** Folds {@code others} into {@code into}: one message for all their alerts. */
    public void group(NotificationDelivery into, List<NotificationDelivery> others) {
        var ids = new java.util.LinkedHashSet<>(into.alertIds());
        others.forEach(o -> ids.addAll(o.alertIds()));
        jdbc.sql("update notification_deliveries set alert_ids = :a where id = :id")
                .param("a", join(List.copyOf(ids))).param("id", into.id()).update();
        for (NotificationDelivery o : others) {
            jdbc.sql("update notification_deliveries set status = 'grouped', grouped_into = :g where id = :id and status = 'pending'")
                    .param("g", into.id()).param("id", o.id()).update();
        }
    }

    public void sent(long id, Instant now) {
        jdbc.sql("update notification_deliveries set status = 'sent', sent_at = :now, attempts = attempts + 1, last_error = null "
                + "where id = :id").param("now", Timestamp.from(now)).param("id", id).update();
    }

    /** A failed attempt: retried at {@code retryAt}, or failed for good when {@code retryAt} is null. */
    public void failed(long id, String error, Instant retryAt) {
        String text = error.length() > 1000 ? error.substring(0, 1000) : error;
        jdbc.sql("update notification_deliveries set attempts = attempts + 1, last_error = :e, status = :s, "
                + "not_before = coalesce(:nb, not_before) where id = :id")
                .param("e", text).param("s", retryAt == null ? "failed" : "pending")
                .param("nb", retryAt == null ? null : Timestamp.from(retryAt)).param("id", id).update();
    }

    public List<NotificationDelivery> recent(Long channelId, Long beforeId, int limit) {
        String sql = SELECT + " where d.status <> 'grouped'" + (channelId == null ? "" : " and d.channel_id = :c")
                + (beforeId == null ? "" : " and d.id < :b") + " order by d.id desc fetch first " + limit + " rows only";
        var spec = jdbc.sql(sql);
        if (channelId != null) {
            spec = spec.param("c", channelId);
        }
        if (beforeId != null) {
            spec = spec.param("b", beforeId);
        }
        return spec.query(DeliveryRepository::map).list();
    }

    public void mark(long alertId, long channelId, Instant now) {
        int updated = jdbc.sql("update notification_marks set last_notified_at = :now where alert_id = :a and channel_id = :c")
                .param("now", Timestamp.from(now)).param("a", alertId).param("c", channelId).update();
        if (updated == 0) {
            jdbc.sql("insert into notification_marks (alert_id, channel_id, last_notified_at) values (:a, :c, :now)")
                    .param("now", Timestamp.from(now)).param("a", alertId).param("c", channelId).update();
        }
    }

    /** Channels that told about this alert (its resolution goes to them). */
    public List<Long> channelsThatTold(long alertId) {
        return jdbc.sql("select channel_id from notification_marks where alert_id = :a").param("a", alertId).query(Long.class).list();
    }

    /** (alert, channel) pairs of firing, unacknowledged alerts last told before {@code now - repeat} of their channel. */
    public List<long[]> dueForRepeat(Instant now) {
        return jdbc.sql("""
                select m.alert_id, m.channel_id, c.repeat_seconds, m.last_notified_at from notification_marks m
                join alerts a on a.id = m.alert_id join notification_channels c on c.id = m.channel_id
                where a.state = 'firing' and a.acknowledged_at is null and c.enabled = true and c.repeat_seconds > 0""")
                .query((rs, n) -> {
                    Instant last = rs.getTimestamp(4).toInstant();
                    return last.plusSeconds(rs.getLong(3)).isAfter(now) ? null : new long[] {rs.getLong(1), rs.getLong(2)};
                }).list().stream().filter(java.util.Objects::nonNull).toList();
    }

    private static String join(List<Long> ids) {
        return ids.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    private static NotificationDelivery map(ResultSet rs, int n) throws SQLException {
        String ids = rs.getString("alert_ids");
        List<Long> alertIds = ids.isBlank() ? List.of() : Arrays.stream(ids.split(",")).map(Long::valueOf).toList();
        long g = rs.getLong("grouped_into");
        Long groupedInto = rs.wasNull() ? null : g;
        Timestamp sent = rs.getTimestamp("sent_at");
        return new NotificationDelivery(rs.getLong("id"), rs.getLong("channel_id"), rs.getString("channel_name"), rs.getString("kind"),
                alertIds, rs.getString("status"), groupedInto, rs.getInt("attempts"), rs.getString("last_error"),
                rs.getTimestamp("not_before").toInstant(), rs.getTimestamp("created_at").toInstant(), sent == null ? null : sent.toInstant());
    }
}
