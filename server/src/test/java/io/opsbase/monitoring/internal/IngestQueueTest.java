package io.opsbase.monitoring.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.opsbase.metrics.AppendResult;
import io.opsbase.metrics.Disk;
import io.opsbase.metrics.DiskMetricStore;
import io.opsbase.metrics.LocalDisk;
import io.opsbase.metrics.MetricStore;
import io.opsbase.metrics.SeriesKey;
import io.opsbase.metrics.StoreConfig;
import io.opsbase.protocol.MetricSample;

/** The queue on a real store whose WAL writes can be held, to saturate it deterministically. */
public class IngestQueueTest {

    @TempDir
    Path dir;

    @Test
    void aFullQueueRefusesAtOnceAndEverythingAcceptedArrivesOnce() throws Exception {
        HeldDisk disk = new HeldDisk();
        try (MetricStore store = DiskMetricStore.open(StoreConfig.defaults(dir).withDisk(disk))) {
            List<String> remembered = new ArrayList<>();
            IngestQueue queue = new IngestQueue(store, (id, key, ci) -> remembered.add(key.format()), 2, 1);
            disk.hold.set(true);

            CompletableFuture<AppendResult> first = queue.offer(7, batch(0)).orElseThrow();
            await().atMost(Duration.ofSeconds(5)).until(() -> disk.waiting.getCount() == 0); // the WAL write is held
            CompletableFuture<AppendResult> second = queue.offer(7, batch(1)).orElseThrow();

            assertThat(queue.inFlight()).isEqualTo(2);
            assertThat(queue.offer(7, batch(2))).as("two batches are not durable yet: the bound").isEmpty();
            assertThat(first).isNotDone();

            disk.release.countDown();
            assertThat(first.get().accepted()).isEqualTo(3);
            assertThat(second.get().accepted()).isEqualTo(3);
            assertThat(queue.offer(7, batch(2)).orElseThrow().get().accepted()).isEqualTo(3);

            var id = store.find(SeriesKey.of("cpu_used_percent", Map.of("ci", "7", "cpu", "total"))).orElseThrow();
            assertThat(store.raw(id, 0, Long.MAX_VALUE).size()).isEqualTo(9);
            assertThat(remembered).contains("cpu_used_percent{ci=\"7\",cpu=\"total\"}");
            queue.destroy();
        }
    }

    @Test
    void aSeriesSeenBeforeIsResolvedFromMemoryToTheSameIdAndCataloguedOnce() throws Exception {
        try (MetricStore store = DiskMetricStore.open(StoreConfig.defaults(dir))) {
            List<String> remembered = new ArrayList<>();
            IngestQueue queue = new IngestQueue(store, (id, key, ci) -> remembered.add(key.format()), 4, 1);

            queue.offer(7, batch(0)).orElseThrow().get();
            queue.offer(7, batch(1)).orElseThrow().get();
            queue.offer(8, batch(2)).orElseThrow().get();
            var agentCi = new MetricSample("cpu_used_percent", Map.of("cpu", "total", "exported_ci", "9"),
                    Instant.parse("2026-11-28T11:00:00Z"), 1);
            queue.offer(7, List.of(agentCi)).orElseThrow().get();

            assertThat(remembered).containsExactly("cpu_used_percent{ci=\"7\",cpu=\"total\"}",
                    "cpu_used_percent{ci=\"8\",cpu=\"total\"}", "cpu_used_percent{ci=\"7\",cpu=\"total\",exported_ci=\"9\"}");
            var seven = store.find(SeriesKey.of("cpu_used_percent", Map.of("ci", "7", "cpu", "total"))).orElseThrow();
            assertThat(queue.series(7, "cpu_used_percent", Map.of("cpu", "total"))).isEqualTo(seven);
            assertThat(store.raw(seven, 0, Long.MAX_VALUE).size()).isEqualTo(6);
            var eight = store.find(SeriesKey.of("cpu_used_percent", Map.of("ci", "8", "cpu", "total"))).orElseThrow();
            assertThat(store.raw(eight, 0, Long.MAX_VALUE).size()).isEqualTo(3);
            queue.destroy();
        }
    }

    @Test
    void aBatchOfResolvedSeriesIsAppendedAsGiven() throws Exception {
        try (MetricStore store = DiskMetricStore.open(StoreConfig.defaults(dir))) {
            IngestQueue queue = new IngestQueue(store, (id, key, ci) -> { }, 4, 1);
            var up = queue.series(3, "up", Map.of("job", "node"));
            var down = queue.series(3, "down", Map.of());

            var result = queue.offer(new io.opsbase.metrics.Batch(new int[] {up.value(), down.value(), up.value()},
                    new long[] {1000, 1000, 2000}, new double[] {1, 0, 1})).orElseThrow().get();

            assertThat(result.accepted()).isEqualTo(3);
            assertThat(store.raw(up, 0, Long.MAX_VALUE).size()).isEqualTo(2);
            assertThat(store.key(down).format()).isEqualTo("down{ci=\"3\"}");
            queue.destroy();
        }
    }

    private static List<MetricSample> batch(int n) {
        Instant base = Instant.parse("2026-11-28T10:00:00Z").plusSeconds(30L * n);
        return List.of(new MetricSample("cpu_used_percent", Map.of("cpu", "total"), base, 10 + n),
                new MetricSample("cpu_used_percent", Map.of("cpu", "total"), base.plusSeconds(10), 11 + n),
                new MetricSample("cpu_used_percent", Map.of("cpu", "total"), base.plusSeconds(20), 12 + n));
    }

    /** The real local disk, except that WAL writes wait while {@code hold} is set, until released. */
    public static final class HeldDisk implements Disk {
        final Disk local = new LocalDisk();
        public final AtomicBoolean hold = new AtomicBoolean();
        public final CountDownLatch waiting = new CountDownLatch(1);
        public final CountDownLatch release = new CountDownLatch(1);

        @Override
        public AppendLog openAppend(Path file) throws IOException {
            AppendLog log = local.openAppend(file);
            return new AppendLog() {
                @Override
                public void write(ByteBuffer bytes) throws IOException {
                    if (hold.get()) {
                        waiting.countDown();
                        try {
                            release.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new IOException(e);
                        }
                    }
                    log.write(bytes);
                }

                @Override
                public void sync() throws IOException {
                    log.sync();
                }

                @Override
                public long size() throws IOException {
                    return log.size();
                }

                @Override
                public void close() throws IOException {
                    log.close();
                }
            };
        }

        @Override
        public byte[] readAll(Path file) throws IOException {
            return local.readAll(file);
        }

        @Override
        public byte[] read(Path file, long offset, int length) throws IOException {
            return local.read(file, offset, length);
        }

        @Override
        public void writeAtomically(Path file, byte[] content) throws IOException {
            local.writeAtomically(file, content);
        }

        @Override
        public void truncate(Path file, long size) throws IOException {
            local.truncate(file, size);
        }

        @Override
        public List<Path> list(Path d) throws IOException {
            return local.list(d);
        }

        @Override
        public void delete(Path file) throws IOException {
            local.delete(file);
        }

        @Override
        public long size(Path file) throws IOException {
            return local.size(file);
        }

        @Override
        public boolean exists(Path file) {
            return local.exists(file);
        }

        @Override
        public void createDirectories(Path d) throws IOException {
            local.createDirectories(d);
        }
    }
}
