package io.opsbase.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import org.springframework.stereotype.Component;

/**
 * Formats instants for pages as {@code ${@displayTime.format(x)}}. Operators compare times across
 * servers and logs, so pages show UTC with an explicit suffix rather than a guessed local zone.
 */
@Component("displayTime")
public class DisplayTime {

    private static final DateTimeFormatter FULL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter SHORT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    private final Clock clock;

    DisplayTime(Clock clock) {
        this.clock = clock;
    }

    public String format(Instant instant) {
        return instant == null ? "" : FULL.format(instant) + " UTC";
    }

    public String date(Instant instant) {
        return instant == null ? "" : SHORT.format(instant);
    }

    /** ISO-8601 for {@code <time datetime>} attributes. */
    public String iso(Instant instant) {
        return instant == null ? "" : instant.toString();
    }

    public boolean isPast(Instant instant) {
        return instant != null && !instant.isAfter(clock.instant());
    }

    /**
     * How long ago {@code instant} was, for "3 min ago" labels: render it with the message
     * {@code time.ago.<unit>} and the amount, and the absolute time as its tooltip. An instant in the
     * future (clocks of two servers) counts as now.
     */
    public Ago ago(Instant instant) {
        if (instant == null) {
            return null;
        }
        // Rounded, not truncated: a time stored with microsecond rounding is not "1 h ago" after two hours.
        long seconds = Math.max(0, Math.round(Duration.between(instant, clock.instant()).toMillis() / 1000.0));
        if (seconds < 10) {
            return new Ago("now", 0);
        }
        if (seconds < 60) {
            return new Ago("seconds", seconds);
        }
        if (seconds < 3600) {
            return new Ago("minutes", seconds / 60);
        }
        if (seconds < 86_400) {
            return new Ago("hours", seconds / 3600);
        }
        return new Ago("days", seconds / 86_400);
    }

    /** A relative time: {@code unit} is {@code now}, {@code seconds}, {@code minutes}, {@code hours} or {@code days}. */
    public record Ago(String unit, long amount) {
    }

    /** Days left until {@code instant}, counting a started day as one (a new 30-day token has 30 left). */
    public long daysUntil(Instant instant) {
        if (instant == null) {
            return 0;
        }
        long seconds = Duration.between(clock.instant(), instant).toSeconds();
        return Math.ceilDiv(seconds, Duration.ofDays(1).toSeconds());
    }
}
