package io.opsbase.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecoveryTest {

    static final long T0 = 1_800_000_000_000L;

    @TempDir
    Path dir;

    FaultyDisk faulty = new FaultyDisk();

    StoreConfig config(Disk disk) {
        return StoreConfig.defaults(dir).withDisk(disk).withClock(new MutableClock(T0)).withTolerance(Duration.ZERO);
    }

    static Batch batch(SeriesId id, int from, int n) {
        Batch.Builder b = Batch.builder();
        for (int i = from; i < from + n; i++) {
            b.add(id, T0 + i * 10_000L, i * 0.5);
        }
        return b.build();
    }

    static void assertHolds(MetricStore store, SeriesId id, int n) {
        Samples s = store.raw(id, Long.MIN_VALUE, Long.MAX_VALUE);
        assertThat(s.size()).isGreaterThanOrEqualTo(n);
        for (int i = 0; i < n; i++) {
            assertThat(s.timestamps()[i]).isEqualTo(T0 + i * 10_000L);
            assertThat(s.values()[i]).isEqualTo(i * 0.5);
        }
    }

    @Test
    void losesNothingAcknowledgedWhenUnsyncedBytesVanishInACrash() throws IOException {
        DiskMetricStore store = DiskMetricStore.open(config(faulty));
        SeriesId id = store.series(SeriesKey.parse("up{job=\"a\"}"));
        int acked = 0;
        for (int round = 0; round < 30; round++) {
            store.appendDurable(batch(id, acked, 500));
            acked += 500;
            if (round == 10) {
                store.checkpoint();
            }
        }
        store.append(batch(id, acked, 500));
        faulty.crash();
        try (DiskMetricStore reopened = DiskMetricStore.open(config(new LocalDisk()))) {
            assertHolds(reopened, id, acked);
            assertThat(reopened.stats().walTruncatedBytes()).isPositive();
            reopened.appendDurable(batch(id, acked + 500, 10));
        }
    }

    @Test
    void failsTheWaitingCallerAndEveryLaterWriteWhenFsyncFails() throws IOException {
        DiskMetricStore store = DiskMetricStore.open(config(faulty));
        SeriesId id = store.series(SeriesKey.parse("up"));
        store.appendDurable(batch(id, 0, 100));
        faulty.failSync = true;
        CompletableFuture<AppendResult> failed = store.append(batch(id, 100, 100));
        assertThatThrownBy(failed::join).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(StoreFailedException.class);
        assertThatThrownBy(() -> store.append(batch(id, 200, 1))).isInstanceOf(StoreFailedException.class);
        faulty.crash();
        try (DiskMetricStore reopened = DiskMetricStore.open(config(new LocalDisk()))) {
            assertHolds(reopened, id, 100);
        }
    }

    @Test
    void failsWritesWhenTheDiskIsFullAndRecoversTheAcknowledgedOnes() throws IOException {
        DiskMetricStore store = DiskMetricStore.open(config(faulty));
        SeriesId id = store.series(SeriesKey.parse("up"));
        store.appendDurable(batch(id, 0, 100));
        faulty.spaceLeft = 700;
        assertThatThrownBy(() -> store.appendDurable(batch(id, 100, 100))).hasCauseInstanceOf(StoreFailedException.class);
        try (DiskMetricStore reopened = DiskMetricStore.open(config(new LocalDisk()))) {
            assertHolds(reopened, id, 100);
            assertThat(reopened.stats().walTruncatedBytes()).isPositive();
        }
    }

    @Test
    void replaysTheWalWhenACheckpointDiesBeforeItsSnapshot() throws IOException {
        DiskMetricStore store = DiskMetricStore.open(config(faulty));
        SeriesId id = store.series(SeriesKey.parse("up"));
        store.appendDurable(batch(id, 0, 3000));
        faulty.failAtomicWriteOf = HeadSnapshot.FILE;
        assertThatThrownBy(store::sealAll).isInstanceOf(IOException.class);
        assertThat(Files.list(dir.resolve("raw")).count()).isPositive();
        faulty.crash();
        try (DiskMetricStore reopened = DiskMetricStore.open(config(new LocalDisk()))) {
            assertThat(reopened.stats().rawFiles()).isZero();
            assertHolds(reopened, id, 3000);
            assertThat(reopened.raw(id, Long.MIN_VALUE, Long.MAX_VALUE).size()).isEqualTo(3000);
            reopened.sealAll();
            assertThat(reopened.raw(id, Long.MIN_VALUE, Long.MAX_VALUE).size()).isEqualTo(3000);
        }
    }

    @Test
    void reportsACorruptedChunkAndNeverReturnsItsBytes() throws IOException {
        SeriesId id = sealedStore(2000);
        Path block = Files.list(dir.resolve("raw")).sorted().findFirst().orElseThrow();
        flipByte(block, Block.HEADER + 3);
        try (DiskMetricStore store = DiskMetricStore.open(config(new LocalDisk()))) {
            assertThatThrownBy(() -> store.raw(id, Long.MIN_VALUE, Long.MAX_VALUE)).isInstanceOf(CorruptDataException.class)
                    .hasMessageContaining("checksum");
            assertThat(store.stats().corruptFiles()).isEqualTo(1);
        }
    }

    @Test
    void skipsAndCountsABlockWhoseIndexIsCorruptedOrTruncated() throws IOException {
        SeriesId id = sealedStore(4000);
        List<Path> blocks = Files.list(dir.resolve("raw")).sorted().toList();
        assertThat(blocks).hasSizeGreaterThanOrEqualTo(3);
        flipByte(blocks.get(0), Files.size(blocks.get(0)) - 14);
        try (RandomAccessFile f = new RandomAccessFile(blocks.get(1).toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }
        try (DiskMetricStore store = DiskMetricStore.open(config(new LocalDisk()))) {
            assertThat(store.stats().corruptFiles()).isEqualTo(2);
            Samples left = store.raw(id, Long.MIN_VALUE, Long.MAX_VALUE);
            assertThat(left.size()).isPositive().isLessThan(4000);
            assertThat(left.timestamps()[0]).isGreaterThanOrEqualTo(Block.open(new LocalDisk(), blocks.get(2)).windowStart);
        }
    }

    @Test
    void opensNoBlockUntilAQueryNeedsItsTier() throws IOException {
        SeriesId id = sealedStore(4000);
        try (DiskMetricStore store = DiskMetricStore.open(config(faulty))) {
            assertThat(faulty.filesRead).noneMatch(p -> p.toString().endsWith(".blk"));
            assertThat(store.buckets(id, Duration.ofMinutes(5), Long.MIN_VALUE, Long.MAX_VALUE)).isNotEmpty();
            assertThat(faulty.filesRead).filteredOn(p -> p.toString().endsWith(".blk"))
                    .isNotEmpty().allMatch(p -> p.getParent().getFileName().toString().equals("rollup-300000"));
        }
    }

    @Test
    void countsAndSkipsACorruptedFileWhenAQueryFirstOpensIt() throws IOException {
        SeriesId id = sealedStore(4000);
        Path hourly = Files.list(dir.resolve("rollup-3600000")).sorted().findFirst().orElseThrow();
        long hourlyEnd = Block.open(new LocalDisk(), hourly).windowEnd;
        flipByte(hourly, Files.size(hourly) - 14);
        try (DiskMetricStore store = DiskMetricStore.open(config(new LocalDisk()))) {
            assertThat(store.raw(id, Long.MIN_VALUE, Long.MAX_VALUE).size()).isEqualTo(4000);
            assertThat(store.buckets(id, Duration.ofHours(1), Long.MIN_VALUE, Long.MAX_VALUE)).isNotEmpty()
                    .allSatisfy(b -> assertThat(b.start()).isGreaterThanOrEqualTo(hourlyEnd));
            assertThat(store.stats().corruptFiles()).isEqualTo(1);
            assertThat(store.buckets(id, Duration.ofHours(1), Long.MIN_VALUE, Long.MAX_VALUE)).isNotEmpty();
            assertThat(store.stats().corruptFiles()).as("counted once").isEqualTo(1);
        }
    }

    @Test
    void deletesBlockFilesTheHeadSnapshotDoesNotList() throws IOException {
        SeriesId id = sealedStore(2000);
        Path stray = dir.resolve("raw").resolve("1.blk");
        Files.copy(Files.list(dir.resolve("raw")).sorted().findFirst().orElseThrow(), stray);
        try (DiskMetricStore store = DiskMetricStore.open(config(new LocalDisk()))) {
            assertThat(stray).doesNotExist();
            assertThat(store.raw(id, Long.MIN_VALUE, Long.MAX_VALUE).size()).isEqualTo(2000);
        }
    }

    @Test
    void countsAListedBlockFileThatIsMissingAndServesTheRest() throws IOException {
        SeriesId id = sealedStore(4000);
        Files.delete(Files.list(dir.resolve("raw")).sorted().findFirst().orElseThrow());
        try (DiskMetricStore store = DiskMetricStore.open(config(new LocalDisk()))) {
            assertThat(store.stats().corruptFiles()).isEqualTo(1);
            assertThat(store.raw(id, Long.MIN_VALUE, Long.MAX_VALUE).size()).isPositive().isLessThan(4000);
        }
    }

    @Test
    void truncatesATornSeriesIndexTail() throws IOException {
        SeriesId id = sealedStore(100);
        Files.write(dir.resolve(SeriesIndex.FILE), new byte[] {0, 0, 0, 9, 1}, StandardOpenOption.APPEND);
        try (DiskMetricStore store = DiskMetricStore.open(config(new LocalDisk()))) {
            assertThat(store.stats().series()).isEqualTo(1);
            assertThat(store.key(id)).isEqualTo(SeriesKey.parse("up"));
            assertThat(store.series(SeriesKey.parse("down"))).isEqualTo(new SeriesId(1));
        }
    }

    private SeriesId sealedStore(int samples) throws IOException {
        try (DiskMetricStore store = DiskMetricStore.open(config(new LocalDisk()))) {
            SeriesId id = store.series(SeriesKey.parse("up"));
            store.appendDurable(batch(id, 0, samples));
            store.sealAll();
            return id;
        }
    }

    private static void flipByte(Path file, long position) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(position);
            int b = f.read();
            f.seek(position);
            f.write(b ^ 0x5A);
        }
    }
}
