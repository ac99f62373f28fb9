package io.opsbase.jobs.schedule;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;

import org.springframework.scheduling.support.CronExpression;

/**
 * Fire times of a cron expression read in a time zone, with the daylight-saving behaviour of classic cron: the
 * expression is matched against wall-clock time, a wall-clock time skipped by a spring-forward gap fires once at
 * the end of the gap (a 02:30 job fires at 03:00 on that day), and wall-clock times repeated by a fall-back
 * overlap fire only on their first pass (a 02:30 job fires once; an hourly job skips the repeated hour).
 * Spring's own {@code CronExpression.next(ZonedDateTime)} drops the gap day and fires twice in the overlap, hence
 * this class. Stateless and thread-safe.
 */
public final class CronTimes {

    private final CronExpression cron;
    private final ZoneId zone;

    public CronTimes(CronExpression cron, ZoneId zone) {
        this.cron = cron;
        this.zone = zone;
    }

    /** The first fire time strictly after {@code after}; null if the expression never fires again. */
    public Instant nextAfter(Instant after) {
        ZoneRules rules = zone.getRules();
        LocalDateTime wallClock = LocalDateTime.ofInstant(after, zone);
        ZoneOffset offset = rules.getOffset(after);
        ZoneOffsetTransition transition = rules.getTransition(wallClock);
        if (transition != null && transition.isOverlap() && offset.equals(transition.getOffsetAfter())) {
            // Second pass through repeated wall-clock times: the first pass already covered them all.
            wallClock = transition.getDateTimeBefore().minusNanos(1);
        }
        LocalDateTime next = cron.next(wallClock);
        if (next == null) {
            return null;
        }
        if (rules.getValidOffsets(next).isEmpty()) {
            return rules.getTransition(next).getInstant(); // skipped by a gap: fire when the clock jumps past it
        }
        return next.atZone(zone).toInstant(); // in an overlap atZone picks the earlier offset: the first pass
    }
}
