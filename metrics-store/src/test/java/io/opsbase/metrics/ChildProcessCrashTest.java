package io.opsbase.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kills a writing JVM with SIGKILL at an arbitrary moment and checks every acknowledged sample survived. */
class ChildProcessCrashTest {

    @TempDir
    Path dir;

    @Test
    void keepsEveryAcknowledgedSampleWhenTheWriterProcessIsKilled() throws Exception {
        for (int attempt = 0; attempt < 2; attempt++) {
            int killAfter = 60 + attempt * 45;
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), CrashWriter.class.getName(), dir.toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            int lastAcked = -1;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    lastAcked = Integer.parseInt(line.substring("acked ".length()));
                    if (lastAcked >= killAfter) {
                        child.destroyForcibly();
                        break;
                    }
                }
            }
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(lastAcked).as("the child acknowledged rounds before it died").isGreaterThanOrEqualTo(killAfter);
            try (DiskMetricStore store = DiskMetricStore.open(StoreConfig.defaults(dir).withClock(new MutableClock(CrashWriter.T0)))) {
                int mustHave = (lastAcked + 1) * CrashWriter.PER_ROUND;
                for (int s = 0; s < CrashWriter.SERIES; s++) {
                    SeriesId id = store.find(SeriesKey.parse("crash_test{series=\"" + s + "\"}")).orElseThrow();
                    Samples samples = store.raw(id, Long.MIN_VALUE, Long.MAX_VALUE);
                    assertThat(samples.size()).isGreaterThanOrEqualTo(mustHave);
                    for (int i = 0; i < samples.size(); i++) {
                        assertThat(samples.timestamps()[i]).isEqualTo(CrashWriter.timestamp(i));
                        assertThat(samples.values()[i]).isEqualTo(CrashWriter.value(s, i));
                    }
                }
            }
            // The second attempt starts afresh and is killed later, after more checkpoints have run.
            if (attempt == 0) {
                java.nio.file.Files.walk(dir).sorted(java.util.Comparator.reverseOrder())
                        .filter(p -> !p.equals(dir)).forEach(p -> p.toFile().delete());
            }
        }
    }
}
