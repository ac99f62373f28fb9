package io.opsbase.jobs.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.scheduling.support.CronExpression;

/** Fire times across daylight-saving changes: every wall-clock fire time runs once, never twice, never not at all. */
class CronTimesTest {

    static List<Instant> fires(String cron, String zone, String from, int count) {
        CronTimes times = new CronTimes(CronExpression.parse(cron), ZoneId.of(zone));
        List<Instant> out = new ArrayList<>();
        Instant t = Instant.parse(from);
        for (int i = 0; i < count; i++) {
            t = times.nextAfter(t);
            out.add(t);
        }
        return out;
    }

    @Test
    void aDailyJobAtHalfPastTwoRunsOnceOnTheSpringForwardDayWhenTheClockJumpsPastIt() {
        // Europe/Berlin, 2026-03-29: 02:00 CET becomes 03:00 CEST; 02:30 does not exist that day.
        assertThat(fires("0 30 2 * * *", "Europe/Berlin", "2026-03-27T12:00:00Z", 3)).containsExactly(
                Instant.parse("2026-03-28T01:30:00Z"),   // 02:30 CET
                Instant.parse("2026-03-29T01:00:00Z"),   // 03:00 CEST, the end of the gap
                Instant.parse("2026-03-30T00:30:00Z"));  // 02:30 CEST
    }

    @Test
    void aDailyJobAtHalfPastTwoRunsOnceOnTheFallBackDay() {
        // Europe/Berlin, 2026-10-25: 03:00 CEST becomes 02:00 CET; 02:30 happens twice.
        assertThat(fires("0 30 2 * * *", "Europe/Berlin", "2026-10-24T12:00:00Z", 3)).containsExactly(
                Instant.parse("2026-10-25T00:30:00Z"),   // 02:30 CEST, the first pass
                Instant.parse("2026-10-26T01:30:00Z"),                     // 02:30 CET the next day
                Instant.parse("2026-10-27T01:30:00Z"));
    }

    @Test
    void askingDuringTheRepeatedHourDoesNotFireItsTimesAgain() {
        // 01:10Z is 02:10 CET, the second pass; 02:30 already ran at 00:30Z.
        assertThat(fires("0 30 2 * * *", "Europe/Berlin", "2026-10-25T01:10:00Z", 1))
                .containsExactly(Instant.parse("2026-10-26T01:30:00Z"));
    }

    @Test
    void anHourlyJobSkipsTheRepeatedHourAndTheMissingOne() {
        assertThat(fires("0 0 * * * *", "Europe/Berlin", "2026-10-24T23:30:00Z", 3)).containsExactly(
                Instant.parse("2026-10-25T00:00:00Z"),   // 02:00 CEST
                Instant.parse("2026-10-25T02:00:00Z"),   // 03:00 CET: 02:00 CET is a repeat
                Instant.parse("2026-10-25T03:00:00Z"));
        assertThat(fires("0 0 * * * *", "Europe/Berlin", "2026-03-29T00:30:00Z", 2)).containsExactly(
                Instant.parse("2026-03-29T01:00:00Z"),   // 03:00 CEST (02:00 is skipped, and fires here once)
                Instant.parse("2026-03-29T02:00:00Z"));  // 04:00 CEST
    }

    @Test
    void followsTheAmericanRulesInAnAmericanZone() {
        // America/New_York: 2026-03-08 02:00 EST -> 03:00 EDT; 2026-11-01 02:00 EDT -> 01:00 EST.
        assertThat(fires("0 30 2 * * *", "America/New_York", "2026-03-07T12:00:00Z", 2)).containsExactly(
                Instant.parse("2026-03-08T07:00:00Z"),   // 03:00 EDT, the end of the gap
                Instant.parse("2026-03-09T06:30:00Z"));
        assertThat(fires("0 30 1 * * *", "America/New_York", "2026-10-31T12:00:00Z", 2)).containsExactly(
                Instant.parse("2026-11-01T05:30:00Z"),   // 01:30 EDT, the first pass
                Instant.parse("2026-11-02T06:30:00Z"));  // 01:30 EST the next day
    }

    @Test
    void aZoneWithoutDaylightSavingFiresEveryDayAtTheSameInstant() {
        assertThat(fires("0 30 2 * * *", "Asia/Shanghai", "2026-03-27T12:00:00Z", 2)).containsExactly(
                Instant.parse("2026-03-27T18:30:00Z"), Instant.parse("2026-03-28T18:30:00Z"));
    }
}
