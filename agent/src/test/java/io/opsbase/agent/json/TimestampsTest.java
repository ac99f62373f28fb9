package io.opsbase.agent.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class TimestampsTest {

    @Test
    void formatsAndParsesInstantsExactlyLikeJavaTime() {
        var random = new SplittableRandom(20261128);
        var edges = new long[] {0, -1, 86_399, 86_400, 951_782_400 /* 2000-02-29 */, 4_107_542_399L /* 2100-02-28T23:59:59 */,
                -62_167_219_200L /* 0000-01-01 */, 253_402_300_799L /* 9999-12-31T23:59:59 */};
        for (var second : edges) {
            check(Instant.ofEpochSecond(second));
            check(Instant.ofEpochSecond(second, 1));
        }
        for (int i = 0; i < 20_000; i++) {
            var second = random.nextLong(-62_167_219_200L, 253_402_300_800L);
            var nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            check(Instant.ofEpochSecond(second, nanos));
        }
    }

    private static void check(Instant instant) {
        assertThat(Timestamps.format(instant)).isEqualTo(instant.toString());
        assertThat(Timestamps.parse(instant.toString())).isEqualTo(instant);
    }

    @Test
    void acceptsOtherIsoFormsThroughJavaTime() {
        assertThat(Timestamps.parse("2026-11-28T10:00:00.5Z")).isEqualTo(Instant.parse("2026-11-28T10:00:00.500Z"));
        assertThat(Timestamps.parse("2026-11-28T11:00:00+01:00")).isEqualTo(Instant.parse("2026-11-28T10:00:00Z"));
    }

    @Test
    void parsesHttpDatesLikeJavaTime() {
        var random = new SplittableRandom(7);
        for (int i = 0; i < 5_000; i++) {
            var instant = Instant.ofEpochSecond(random.nextLong(0, 4_102_444_800L));
            var text = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.ofInstant(instant, ZoneOffset.UTC)).replace("Z", "GMT");
            if (text.length() == 29) {
                assertThat(Timestamps.parseHttpDate(text)).as(text).isEqualTo(instant);
            }
        }
        assertThat(Timestamps.parseHttpDate("Sat, 28 Nov 2026 10:00:00 GMT")).isEqualTo(Instant.parse("2026-11-28T10:00:00Z"));
        assertThat(Timestamps.parseHttpDate("Sun, 1 Nov 2026 10:00:00 GMT")).as("a one-digit day, through java.time")
                .isEqualTo(Instant.parse("2026-11-01T10:00:00Z"));
    }
}
