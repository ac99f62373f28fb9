package io.opsbase.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConcurrentReadersTest {

    static final long T0 = 1_800_000_000_000L;
    static final int SERIES = 8;
    static final int ROUNDS = 400;
    static final int PER_ROUND = 50;

    @TempDir
    Path dir;

    static double value(int series, long t) {
        return series + ((t - T0) / 10_000 % 1000) * 0.5;
    }

    @Test
    void readersSeeConsistentPrefixesWhileAWriterAppendsAndCheckpoints() throws Exception {
        StoreConfig config = StoreConfig.defaults(dir).withClock(new MutableClock(T0)).withTolerance(Duration.ZERO);
        try (DiskMetricStore store = DiskMetricStore.open(config)) {
            SeriesId[] ids = new SeriesId[SERIES];
            for (int s = 0; s < SERIES; s++) {
                ids[s] = store.series(SeriesKey.parse("load{s=\"" + s + "\"}"));
            }
            AtomicBoolean done = new AtomicBoolean();
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            AtomicInteger reads = new AtomicInteger();
            Thread writer = Thread.ofPlatform().start(() -> {
                try {
                    for (int round = 0; round < ROUNDS; round++) {
                        Batch.Builder b = Batch.builder();
                        for (int s = 0; s < SERIES; s++) {
                            for (int i = round * PER_ROUND; i < (round + 1) * PER_ROUND; i++) {
                                long t = T0 + i * 10_000L;
                                b.add(ids[s], t, value(s, t));
                            }
                        }
                        store.append(b.build());
                        if (round % 40 == 39) {
                            store.checkpoint();
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                } finally {
                    done.set(true);
                }
            });
            List<Thread> readers = List.of(0, 1, 2).stream().map(r -> Thread.ofPlatform().start(() -> {
                int[] seen = new int[SERIES];
                try {
                    while (!done.get() || reads.get() < 30) {
                        int s = reads.incrementAndGet() % SERIES;
                        Samples samples = store.raw(ids[s], Long.MIN_VALUE, Long.MAX_VALUE);
                        assertThat(samples.size()).isGreaterThanOrEqualTo(seen[s]);
                        seen[s] = samples.size();
                        for (int i = 0; i < samples.size(); i++) {
                            assertThat(samples.timestamps()[i]).isEqualTo(T0 + i * 10_000L);
                            assertThat(samples.values()[i]).isEqualTo(value(s, samples.timestamps()[i]));
                        }
                        store.latest(ids[s]);
                        store.m4(ids[s], T0, T0 + ROUNDS * PER_ROUND * 10_000L, 300);
                        store.stats();
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            })).toList();
            writer.join();
            for (Thread reader : readers) {
                reader.join();
            }
            assertThat(failures).isEmpty();
            assertThat(reads.get()).isGreaterThanOrEqualTo(30);
            for (int s = 0; s < SERIES; s++) {
                assertThat(store.raw(ids[s], Long.MIN_VALUE, Long.MAX_VALUE).size()).isEqualTo(ROUNDS * PER_ROUND);
            }
        }
    }
}
