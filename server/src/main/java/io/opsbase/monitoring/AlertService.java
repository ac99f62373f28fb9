package io.opsbase.monitoring;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.opsbase.monitoring.internal.AlertRepository;
import io.opsbase.monitoring.internal.SilenceRepository;
import io.opsbase.platform.ConflictException;
import io.opsbase.platform.InvalidInputException;
import io.opsbase.platform.InvalidInputException.FieldViolation;
import io.opsbase.platform.NotFoundException;
import io.opsbase.platform.Page;

/** Alerts as people see and handle them: listing, acknowledging, silencing. */
@Service
public class AlertService {

    static final Duration MAX_SILENCE = Duration.ofDays(90);

    private final AlertRepository alerts;
    private final SilenceRepository silences;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    AlertService(AlertRepository alerts, SilenceRepository silences, ApplicationEventPublisher events, Clock clock) {
        this.alerts = alerts;
        this.silences = silences;
        this.events = events;
        this.clock = clock;
    }

    /** Newest first; {@code state} {@code open} (pending and firing, the default), pending, firing, resolved or all. */
    @Transactional(readOnly = true)
    public Page<Alert> list(String state, Long ciId, String cursor, int limit) {
        List<String> states = switch (state == null ? "open" : state) {
            case "open" -> List.of("pending", "firing");
            case "all" -> List.of();
            case "pending", "firing", "resolved" -> List.of(state);
            default -> throw new InvalidInputException("state", "must be open, pending, firing, resolved or all");
        };
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
        Instant now = clock.instant();
        List<Silence> active = silences.current(now).stream().filter(s -> s.activeAt(now)).toList();
        List<Alert> rows = alerts.list(states, ciId, before, limit + 1);
        String next = rows.size() > limit ? Long.toString(rows.get(limit - 1).id()) : null;
        List<Alert> page = new ArrayList<>();
        for (Alert a : rows.subList(0, Math.min(limit, rows.size()))) {
            Map<String, String> labels = a.matchLabels();
            page.add(a.withSilence(active.stream().filter(s -> s.matches(labels)).map(Silence::id).findFirst().orElse(null)));
        }
        return new Page<>(page, next, null);
    }

    @Transactional(readOnly = true)
    public Alert get(long id) {
        return alerts.find(id).orElseThrow(() -> new NotFoundException("Alert", id));
    }

    @Transactional
    public Alert acknowledge(long id, String user, String comment) {
        Alert alert = get(id);
        String text = comment == null ? "" : comment.strip();
        if (text.length() > 1000) {
            throw new InvalidInputException("comment", "must be at most 1000 characters");
        }
        if (!alerts.acknowledge(id, user, text, clock.instant())) {
            throw new ConflictException("not-firing", "Only a firing alert can be acknowledged; alert " + id + " is " + alert.state().key());
        }
        events.publishEvent(new AlertActionTaken("alert.acknowledged", "alert", id, alert.rule() + " on CI " + alert.ciId()
                + (text.isEmpty() ? "" : ": " + text)));
        return get(id);
    }

    @Transactional(readOnly = true)
    public List<Silence> silences() {
        return silences.current(clock.instant());
    }

    /** A silence from {@code startsAt} (default now) for {@code duration}; matchers must not be empty. */
    @Transactional
    public Silence silence(Map<String, String> matchers, Instant startsAt, Duration duration, String comment, String user) {
        List<FieldViolation> errors = new ArrayList<>();
        if (matchers == null || matchers.isEmpty()) {
            errors.add(new FieldViolation("matchers", "at least one label, e.g. {\"ci\": \"42\"} or {\"rule\": \"Host down\"}"));
        }
        if (duration == null || duration.isNegative() || duration.isZero() || duration.compareTo(MAX_SILENCE) > 0) {
            errors.add(new FieldViolation("duration", "must be a positive duration of at most 90d"));
        }
        if (comment == null || comment.isBlank() || comment.length() > 1000) {
            errors.add(new FieldViolation("comment", "says why (required, at most 1000 characters)"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        Instant now = clock.instant();
        Instant start = startsAt == null ? now : startsAt;
        long id = silences.insert(matchers, start, start.plus(duration), comment.strip(), user, now);
        events.publishEvent(new AlertActionTaken("silence.created", "silence", id, matchers + " until " + start.plus(duration)
                + ": " + comment.strip()));
        return silences.find(id).orElseThrow();
    }

    @Transactional
    public void expire(long id) {
        Silence silence = silences.find(id).orElseThrow(() -> new NotFoundException("Silence", id));
        silences.expire(id, clock.instant());
        events.publishEvent(new AlertActionTaken("silence.expired", "silence", id, silence.matchers().toString()));
    }
}
