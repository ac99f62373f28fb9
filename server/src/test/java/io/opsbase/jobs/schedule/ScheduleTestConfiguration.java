package io.opsbase.jobs.schedule;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

import io.opsbase.testing.MutableClock;

/**
 * One configuration for every jobs test, so they share a context: a clock the tests move, and a launcher that
 * records what it was asked to start (the jobs branch brings the real one; {@code @Primary} keeps this one in
 * charge in tests after the merge).
 */
@TestConfiguration(proxyBeanMethods = false)
public class ScheduleTestConfiguration {

    public static final Instant START = Instant.parse("2026-11-28T08:00:00Z");

    @Bean
    @Primary
    MutableClock jobsClock() {
        return new MutableClock(START);
    }

    @Bean
    @Primary
    RecordingLauncher recordingLauncher() {
        return new RecordingLauncher();
    }

    /** Records launches; fails for template ids listed in {@link #failing}. */
    public static class RecordingLauncher implements ScheduledRunLauncher {

        public record Launch(long runId, long templateId, Map<String, String> parameters, String scheduleName) {
        }

        public final List<Launch> launches = new CopyOnWriteArrayList<>();
        public final List<Long> failing = new CopyOnWriteArrayList<>();
        private final AtomicLong runs = new AtomicLong(1000);

        @Override
        public long launch(long templateId, Map<String, String> parameters, String scheduleName) {
            if (failing.contains(templateId)) {
                throw new IllegalStateException("template " + templateId + " has no targets");
            }
            long id = runs.incrementAndGet();
            launches.add(new Launch(id, templateId, Map.copyOf(parameters), scheduleName));
            return id;
        }

        public List<Launch> of(String scheduleName) {
            return launches.stream().filter(l -> l.scheduleName().equals(scheduleName)).toList();
        }
    }
}
