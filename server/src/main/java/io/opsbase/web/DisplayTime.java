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

    /** Days left until {@code instant}, counting a started day as one (a new 30-day token has 30 left). */
    public long daysUntil(Instant instant) {
        if (instant == null) {
            return 0;
        }
        long seconds = Duration.between(clock.instant(), instant).toSeconds();
        return Math.ceilDiv(seconds, Duration.ofDays(1).toSeconds());
    }
}
