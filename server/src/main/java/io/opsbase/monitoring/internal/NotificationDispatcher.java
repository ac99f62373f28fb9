package io.opsbase.monitoring.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import io.opsbase.cmdb.CiService;
import io.opsbase.monitoring.Alert;
import io.opsbase.monitoring.AlertFired;
import io.opsbase.monitoring.AlertResolved;
import io.opsbase.monitoring.AlertRule;
import io.opsbase.monitoring.MonitoringProperties;
import io.opsbase.monitoring.NotificationDelivery;
import io.opsbase.monitoring.Silence;

/**
 * Turns alert events into messages and delivers them, with a log of every attempt.
 *
 * <ul>
 * <li>A firing alert that should be told becomes a pending delivery for every enabled channel
 * whose minimum severity it reaches, due after the channel's group wait; deliveries of one channel
 * and kind that are due together are folded into one message (a switch failing with its hosts is
 * one message, not fifty).</li>
 * <li>A resolution goes to the channels that told the firing.</li>
 * <li>A firing alert nobody acknowledged is told again every channel's repeat interval.</li>
 * <li>At sending time, alerts that resolved, were acknowledged (repeats) or got silenced meanwhile
 * are left out; a message with nothing left is logged as skipped.</li>
 * <li>A failed attempt is retried after 30 s, 1 min, 2 min … up to {@code deliveryAttempts}; then
 * the delivery is marked failed with the last reason.</li>
 * </ul>
 */
@Component
public class NotificationDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(NotificationDispatcher.class);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(30);

    private final ChannelRepository channels;
    private final DeliveryRepository deliveries;
    private final AlertRepository alerts;
    private final RuleRepository rules;
    private final SilenceRepository silences;
    private final ChannelSender sender;
    private final CiService cis;
    private final MonitoringProperties properties;
    private final Clock clock;

    NotificationDispatcher(ChannelRepository channels, DeliveryRepository deliveries, AlertRepository alerts, RuleRepository rules,
            SilenceRepository silences, ChannelSender sender, CiService cis, MonitoringProperties properties, Clock clock) {
        this.channels = channels;
        this.deliveries = deliveries;
        this.alerts = alerts;
        this.rules = rules;
        this.silences = silences;
        this.sender = sender;
        this.cis = cis;
        this.properties = properties;
        this.clock = clock;
    }

    @EventListener
    void on(AlertFired event) {
        if (!event.tellPeople()) {
            return;
        }
        Instant now = clock.instant();
        for (ChannelRepository.Sendable c : channels.enabled()) {
            if (event.alert().severity().compareTo(c.channel().minSeverity()) >= 0) {
                deliveries.insert(c.channel().id(), "firing", List.of(event.alert().id()), now.plus(c.channel().groupWait()), now);
            }
        }
    }

    @EventListener
    void on(AlertResolved event) {
        if (!event.tellPeople()) {
            return;
        }
        Instant now = clock.instant();
        for (long channelId : deliveries.channelsThatTold(event.alert().id())) {
            channels.find(channelId).filter(c -> c.enabled()).ifPresent(c ->
                    deliveries.insert(channelId, "resolved", List.of(event.alert().id()), now.plus(c.groupWait()), now));
        }
    }

    @Scheduled(fixedDelayString = "${opsbase.monitoring.notify-every:5s}", initialDelayString = "${opsbase.monitoring.notify-every:5s}")
    void scheduled() {
        try {
            dispatch();
        } catch (RuntimeException e) {
            LOG.error("notification dispatch failed; the next round retries", e);
        }
    }

    /** One round: queue repeats, fold what is due together, send. */
    public synchronized void dispatch() {
        Instant now = clock.instant();
        for (long[] pair : deliveries.dueForRepeat(now)) {
            deliveries.insert(pair[1], "repeat", List.of(pair[0]), now, now);
            deliveries.mark(pair[0], pair[1], now);
        }
        Map<String, List<NotificationDelivery>> firstTries = new LinkedHashMap<>();
        for (NotificationDelivery d : deliveries.due(now)) {
            if (d.attempts() == 0) {
                firstTries.computeIfAbsent(d.channelId() + "/" + d.kind(), k -> new ArrayList<>()).add(d);
            }
        }
        firstTries.values().stream().filter(g -> g.size() > 1).forEach(g -> deliveries.group(g.getFirst(), g.subList(1, g.size())));
        for (NotificationDelivery d : deliveries.due(now)) {
            deliver(d, now);
        }
    }

    /** Sends a test message to a channel now and logs it; answers the delivery as logged. */
    public NotificationDelivery test(long channelId) throws InterruptedException {
        Instant now = clock.instant();
        long id = deliveries.insert(channelId, "test", List.of(), now, now);
        var channel = channels.sendable(channelId).orElseThrow();
        try {
            sender.send(channel, new AlertMessage("test", List.of(), now));
            deliveries.sent(id, now);
        } catch (ChannelSender.DeliveryFailure e) {
            deliveries.failed(id, e.getMessage(), null);
        }
        return deliveries.recent(channelId, id + 1, 1).getFirst();
    }

    private void deliver(NotificationDelivery d, Instant now) {
        var channel = channels.sendable(d.channelId()).orElse(null);
        if (channel == null || !channel.channel().enabled()) {
            deliveries.failed(d.id(), "the channel is disabled", null);
            return;
        }
        List<Silence> active = silences.current(now).stream().filter(s -> s.activeAt(now)).toList();
        List<AlertMessage.Item> items = new ArrayList<>();
        for (long alertId : d.alertIds()) {
            Alert a = alerts.find(alertId).orElse(null);
            if (a == null || !stillToTell(d.kind(), a, active)) {
                continue;
            }
            String expression = rules.find(a.ruleId()).map(AlertRule::expression).orElse(a.rule());
            items.add(new AlertMessage.Item(a, ciName(a.ciId()), expression));
        }
        if (items.isEmpty()) {
            deliveries.failed(d.id(), "nothing left to tell: resolved, acknowledged or silenced meanwhile", null);
            return;
        }
        try {
            sender.send(channel, new AlertMessage(d.kind(), items, now));
            deliveries.sent(d.id(), now);
            if (!d.kind().equals("resolved")) {
                items.forEach(i -> deliveries.mark(i.alert().id(), d.channelId(), now));
            }
        } catch (ChannelSender.DeliveryFailure e) {
            int attempt = d.attempts() + 1;
            Instant retry = attempt >= properties.deliveryAttempts() ? null : now.plus(FIRST_RETRY.multipliedBy(1L << (attempt - 1)));
            deliveries.failed(d.id(), e.getMessage(), retry);
            LOG.warn("notification {} to {} failed (attempt {} of {}): {}{}", d.id(), channel.channel().name(), attempt,
                    properties.deliveryAttempts(), e.getMessage(), retry == null ? "; giving up" : "; retrying at " + retry);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean stillToTell(String kind, Alert a, List<Silence> active) {
        boolean silenced = active.stream().anyMatch(s -> s.matches(a.matchLabels()));
        return switch (kind) {
            case "firing" -> a.state() == Alert.State.FIRING && !silenced;
            case "repeat" -> a.state() == Alert.State.FIRING && a.acknowledgedAt() == null && !silenced;
            default -> true;
        };
    }

    private String ciName(long ciId) {
        try {
            return cis.get(ciId).name();
        } catch (RuntimeException e) {
            return "CI " + ciId;
        }
    }
}
