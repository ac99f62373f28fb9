package io.opsbase.monitoring;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.opsbase.monitoring.internal.ChannelRepository;
import io.opsbase.monitoring.internal.DeliveryRepository;
import io.opsbase.monitoring.internal.NotificationDispatcher;
import io.opsbase.platform.ConflictException;
import io.opsbase.platform.InvalidInputException;
import io.opsbase.platform.InvalidInputException.FieldViolation;
import io.opsbase.platform.NotFoundException;
import io.opsbase.platform.Page;

/** Notification channels (validated, sealed at rest, audited) and the delivery log. */
@Service
public class NotificationService {

    private static final Pattern ADDRESS = Pattern.compile("[^@\\s,]+@[^@\\s,]+");

    private final ChannelRepository channels;
    private final DeliveryRepository deliveries;
    private final NotificationDispatcher dispatcher;
    private final org.springframework.beans.factory.ObjectProvider<org.springframework.mail.javamail.JavaMailSender> mail;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    NotificationService(ChannelRepository channels, DeliveryRepository deliveries, NotificationDispatcher dispatcher,
            org.springframework.beans.factory.ObjectProvider<org.springframework.mail.javamail.JavaMailSender> mail,
            ApplicationEventPublisher events, Clock clock) {
        this.channels = channels;
        this.deliveries = deliveries;
        this.dispatcher = dispatcher;
        this.mail = mail;
        this.events = events;
        this.clock = clock;
    }

    @Transactional(readOnly = true)
    public List<NotificationChannel> channels() {
        return channels.all();
    }

    @Transactional(readOnly = true)
    public NotificationChannel channel(long id) {
        return channels.find(id).orElseThrow(() -> new NotFoundException("Notification channel", id));
    }

    @Transactional
    public NotificationChannel create(ChannelInput in) {
        Valid v = validated(0, in, true);
        long id = channels.insert(v.name, v.type, in.target().strip(), blankToNull(in.secret()), v.min, v.groupWait, v.repeat,
                in.enabled() == null || in.enabled(), clock.instant());
        events.publishEvent(new AlertActionTaken("notification-channel.created", "notification-channel", id,
                v.name + " (" + v.type.key() + ")"));
        return channel(id);
    }

    @Transactional
    public NotificationChannel update(long id, ChannelInput in) {
        NotificationChannel before = channel(id);
        Valid v = validated(id, in, false);
        channels.update(id, v.name, v.type, in.target() == null ? null : in.target().strip(), blankToNull(in.secret()), v.min, v.groupWait,
                v.repeat, in.enabled() == null ? before.enabled() : in.enabled(), clock.instant());
        events.publishEvent(new AlertActionTaken("notification-channel.updated", "notification-channel", id, v.name
                + (in.target() != null ? " (target changed)" : "") + (blankToNull(in.secret()) != null ? " (secret changed)" : "")));
        return channel(id);
    }

    /** Channels are disabled, not deleted: the delivery log refers to them. */
    @Transactional
    public void disable(long id) {
        NotificationChannel c = channel(id);
        channels.disable(id, clock.instant());
        events.publishEvent(new AlertActionTaken("notification-channel.disabled", "notification-channel", id, c.name()));
    }

    public NotificationDelivery test(long id) throws InterruptedException {
        channel(id);
        return dispatcher.test(id);
    }

    @Transactional(readOnly = true)
    public Page<NotificationDelivery> deliveries(Long channelId, String cursor, int limit) {
        if (limit < 1 || limit > 500) {
            throw new InvalidInputException("limit", "must be between 1 and 500");
        }
        Long before = null;
        if (cursor != null && !cursor.isBlank()) {
            try {
                before = Long.parseLong(cursor);
            } catch (NumberFormatException e) {
                throw new InvalidInputException("cursor", "is not a cursor this list gave");
            }
        }
        List<NotificationDelivery> rows = deliveries.recent(channelId, before, limit + 1);
        String next = rows.size() > limit ? Long.toString(rows.get(limit - 1).id()) : null;
        return new Page<>(rows.subList(0, Math.min(limit, rows.size())), next, null);
    }

    private record Valid(String name, NotificationChannel.Type type, AlertRule.Severity min, Duration groupWait, Duration repeat) {
    }

    private Valid validated(long id, ChannelInput in, boolean creating) {
        List<FieldViolation> errors = new ArrayList<>();
        String name = in.name() == null ? "" : in.name().strip();
        if (name.isEmpty() || name.length() > 200) {
            errors.add(new FieldViolation("name", "is required (at most 200 characters)"));
        } else if (channels.nameTaken(name, id)) {
            throw new ConflictException("duplicate-name", "A notification channel named " + name + " exists already");
        }
        NotificationChannel.Type type = null;
        try {
            type = NotificationChannel.Type.of(in.type() == null ? "" : in.type().strip());
        } catch (IllegalArgumentException e) {
            errors.add(new FieldViolation("type", "must be webhook, email, dingtalk, wecom, feishu or slack"));
        }
        String target = in.target() == null ? null : in.target().strip();
        if (target == null && creating) {
            errors.add(new FieldViolation("target", "is required: the URL, or e-mail addresses"));
        } else if (target != null && type == NotificationChannel.Type.EMAIL) {
            for (String address : target.split("\\s*,\\s*")) {
                if (!ADDRESS.matcher(address).matches()) {
                    errors.add(new FieldViolation("target", "'" + address + "' is not an e-mail address"));
                }
            }
            if (mail.getIfAvailable() == null) {
                errors.add(new FieldViolation("type", "e-mail needs an SMTP server: set spring.mail.host (and port, user, password)"));
            }
        } else if (target != null && type != null) {
            try {
                URI uri = URI.create(target);
                if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
                    errors.add(new FieldViolation("target", "must be an http(s) URL"));
                }
            } catch (IllegalArgumentException e) {
                errors.add(new FieldViolation("target", "must be an http(s) URL"));
            }
        }
        AlertRule.Severity min = AlertRule.Severity.WARNING;
        if (in.minSeverity() != null) {
            try {
                min = AlertRule.Severity.of(in.minSeverity().strip());
            } catch (IllegalArgumentException e) {
                errors.add(new FieldViolation("minSeverity", "must be info, warning, average, high or disaster"));
            }
        }
        Duration groupWait = in.groupWait() == null ? Duration.ofSeconds(30) : Durations.parse(in.groupWait());
        if (groupWait == null || groupWait.compareTo(Duration.ofHours(1)) > 0) {
            errors.add(new FieldViolation("groupWait", "must be a duration of at most 1h, e.g. 30s"));
        }
        Duration repeat = in.repeatEvery() == null ? Duration.ofHours(4) : Durations.parse(in.repeatEvery());
        if (repeat == null || repeat.compareTo(Duration.ofDays(7)) > 0 || (!repeat.isZero() && repeat.compareTo(Duration.ofMinutes(5)) < 0)) {
            errors.add(new FieldViolation("repeatEvery", "must be 0 (never) or between 5m and 7d"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new Valid(name, type, min, groupWait, repeat);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
