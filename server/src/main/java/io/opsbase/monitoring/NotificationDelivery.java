package io.opsbase.monitoring;

import java.time.Instant;
import java.util.List;

/** One entry of the delivery log: a message to a channel about some alerts, and how sending it went. */
public record NotificationDelivery(long id, long channelId, String channel, String kind, List<Long> alertIds, String status,
        Long groupedInto, int attempts, String lastError, Instant notBefore, Instant createdAt, Instant sentAt) {
}
