package io.opsbase.metrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The embedded time-series engine. Files under {@link StoreConfig#directory()} (see
 * docs/metrics-store.md for every byte): {@code series.idx}, {@code head.snap}, {@code wal/},
 * {@code raw/}, {@code rollup-<step>/}.
 *
 * <p>WAL payloads: {@code u8 1 | varint id | UTF-8 key} defines a series;
 * {@code u8 2 | varint n | n × (varint id | varint zigzag(t - previous t) | u64 value bits)} holds
 * accepted samples. Only accepted samples are logged, so replay reproduces the head exactly.
 *
 * <p>Thread-safety: every public method may be called from any thread. Appends are serialised
 * among themselves (WAL order is head order) but run alongside queries; a query sees each
 * series' head as of some instant, possibly including samples not yet durable. Checkpoints take
 * the structure lock exclusively, pausing appends and queries while files change.
 */
public final class DiskMetricStore implements MetricStore {

    private static final byte SERIES_RECORD = 1;
    private static final byte SAMPLES_RECORD = 2;

    private final StoreConfig config;
    private final Disk disk;
    private final Path dir;
    private final long window;
    private final long tolerance;
    private final SeriesIndex index;
    private final BlockCatalog catalog;
    private final ReentrantReadWriteLock structure = new ReentrantReadWriteLock();
    private final Object appendLock = new Object();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong checkpoints = new AtomicLong();
    private final long walTruncated;
    private volatile HeadSeries[] heads = new HeadSeries[0];
    private volatile long sealedUntil;
    private long newest;
    private long generation;
    private WriteAheadLog wal;
    private byte[] record = new byte[4096];
    private boolean closed;

    private DiskMetricStore(StoreConfig config) throws IOException {
        this.config = config;
        this.disk = config.disk();
        this.dir = config.directory();
        this.window = config.blockWindow().toMillis();
        this.tolerance = config.tolerance().toMillis();
        disk.createDirectories(dir);
        index = SeriesIndex.load(disk, dir);
        HeadSnapshot snapshot = HeadSnapshot.read(disk, dir);
        generation = snapshot.generation();
        sealedUntil = snapshot.sealedUntil();
        newest = snapshot.newest();
        catalog = new BlockCatalog(config);
        catalog.load(generation);
        ensureHeads(index.size());
        for (Map.Entry<Integer, Samples> e : snapshot.series().entrySet()) {
            Samples s = e.getValue();
            for (int i = 0; i < s.size(); i++) {
                heads[e.getKey()].append(s.timestamps()[i], s.values()[i], tolerance, sealedUntil, window);
            }
        }
        Path walDir = dir.resolve(WriteAheadLog.DIR);
        disk.createDirectories(walDir);
        for (Path file : disk.list(walDir)) {
            if (WriteAheadLog.segmentNumber(file) < snapshot.walSegment()) {
                disk.delete(file);
            }
        }
        WriteAheadLog.Replay replay = WriteAheadLog.replay(disk, walDir, snapshot.walSegment(), this::applyRecord);
        walTruncated = replay.truncatedBytes();
        wal = new WriteAheadLog(disk, walDir, Math.max(replay.lastSegment() + 1, snapshot.walSegment()));
    }

    /** Opens (or creates) the store, recovering from whatever state a crash left. */
    public static DiskMetricStore open(StoreConfig config) throws IOException {
        return new DiskMetricStore(config);
    }

    private void ensureHeads(int size) {
        HeadSeries[] current = heads;
        if (current.length >= size) {
            return;
        }
        HeadSeries[] grown = Arrays.copyOf(current, Math.max(size, current.length * 2));
        for (int i = current.length; i < grown.length; i++) {
            grown[i] = new HeadSeries();
        }
        heads = grown;
    }

    private void applyRecord(ByteBuffer in) {
        byte type = in.get();
        if (type == SERIES_RECORD) {
            int id = (int) Varint.read(in);
            byte[] key = new byte[in.remaining()];
            in.get(key);
            index.define(id, new String(key, StandardCharsets.UTF_8));
            ensureHeads(id + 1);
        } else if (type == SAMPLES_RECORD) {
            int n = (int) Varint.read(in);
            long t = 0;
            for (int i = 0; i < n; i++) {
                int id = (int) Varint.read(in);
                long z = Varint.read(in);
                t += (z >>> 1) ^ -(z & 1);
                double v = Double.longBitsToDouble(in.getLong());
                heads[id].append(t, v, tolerance, sealedUntil, window);
                newest = Math.max(newest, t);
            }
        } else {
            throw new CorruptDataException("unknown WAL record type " + type);
        }
    }

    @Override
    public SeriesId series(SeriesKey key) {
        structure.readLock().lock();
        try {
            synchronized (appendLock) {
                checkOpen();
                int id = index.find(key);
                if (id < 0) {
                    id = index.getOrAdd(key);
                    byte[] text = key.format().getBytes(StandardCharsets.UTF_8);
                    ByteBuffer out = ByteBuffer.allocate(text.length + 6);
                    out.put(SERIES_RECORD);
                    putVarint(out, id);
                    out.put(text);
                    wal.append(out.array(), out.position());
                    ensureHeads(id + 1);
                }
                return new SeriesId(id);
            }
        } finally {
            structure.readLock().unlock();
        }
    }

    @Override
    public Optional<SeriesId> find(SeriesKey key) {
        int id = index.find(key);
        return id < 0 ? Optional.empty() : Optional.of(new SeriesId(id));
    }

    @Override
    public SeriesKey key(SeriesId id) {
        return index.key(id.value());
    }

    @Override
    public CompletableFuture<AppendResult> append(Batch batch) {
        structure.readLock().lock();
        try {
            long position;
            int ok = 0;
            synchronized (appendLock) {
                checkOpen();
                int n = batch.size();
                ByteBuffer out = recordBuffer(6 + n * 24);
                out.put(SAMPLES_RECORD);
                int countAt = out.position();
                out.position(countAt + 5);
                HeadSeries[] h = heads;
                long since = sealedUntil;
                int known = index.size();
                long previous = 0;
                for (int i = 0; i < n; i++) {
                    int id = batch.series()[i];
                    long t = batch.timestamps()[i];
                    double v = batch.values()[i];
                    if (id < 0 || id >= known) {
                        throw new IllegalArgumentException("unknown series id " + id);
                    }
                    if (h[id].append(t, v, tolerance, since, window)) {
                        putVarint(out, id);
                        long d = t - previous;
                        putVarint(out, (d << 1) ^ (d >> 63));
                        out.putLong(Double.doubleToRawLongBits(v));
                        previous = t;
                        newest = Math.max(newest, t);
                        ok++;
                    }
                }
                int end = out.position();
                out.position(countAt);
                putFixedVarint(out, ok);
                position = ok > 0 ? wal.append(record, end) : 0;
            }
            accepted.addAndGet(ok);
            rejected.addAndGet(batch.size() - ok);
            AppendResult result = new AppendResult(ok, batch.size() - ok);
            return ok > 0 ? wal.durable(position).thenApply(x -> result) : CompletableFuture.completedFuture(result);
        } finally {
            structure.readLock().unlock();
        }
    }

    private ByteBuffer recordBuffer(int capacity) {
        if (record.length < capacity) {
            record = new byte[Math.max(capacity, record.length * 2)];
        }
        return ByteBuffer.wrap(record);
    }

    private static void putVarint(ByteBuffer out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.put((byte) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.put((byte) v);
    }

    /** A varint padded to exactly 5 bytes, so the count can be filled in after the samples. */
    private static void putFixedVarint(ByteBuffer out, int v) {
        for (int i = 0; i < 4; i++) {
            out.put((byte) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.put((byte) v);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("store closed");
        }
    }

    @Override
    public Samples raw(SeriesId id, long from, long to) {
        return read(() -> {
            SampleBuffer out = new SampleBuffer(64);
            for (Block b : catalog.raw()) {
                int e = b.find(id.value());
                if (e >= 0 && b.maxT(e) >= from && b.minT(e) < to) {
                    out.addAll(checked(() -> b.samples(disk, e)));
                }
            }
            out.addAll(head(id).samples());
            return out.slice(from, to);
        });
    }

    @Override
    public List<Bucket> buckets(SeriesId id, Duration step, long from, long to) {
        int level = levelOf(step);
        return read(() -> bucketsAt(id, level, from, to));
    }

    private int levelOf(Duration step) {
        for (int i = 0; i < config.rollups().size(); i++) {
            if (config.rollups().get(i).step().equals(step)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no rollup with step " + step + "; configured: " + config.rollups());
    }

    List<Bucket> bucketsAt(SeriesId id, int level, long from, long to) {
        long step = config.rollups().get(level).stepMs();
        List<Bucket> out = new ArrayList<>();
        for (Block b : catalog.level(level)) {
            int e = b.find(id.value());
            if (e >= 0 && b.maxT(e) + step > from && b.minT(e) < to) {
                Bucket[] stored;
                try {
                    stored = checked(() -> b.buckets(disk, e));
                } catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
                for (Bucket bucket : stored) {
                    if (bucket.start() + step > from && bucket.start() < to) {
                        out.add(bucket);
                    }
                }
            }
        }
        Samples head = head(id).samples();
        for (Bucket bucket : Bucket.aggregate(head.timestamps(), head.values(), head.size(), step)) {
            if (bucket.start() + step > from && bucket.start() < to) {
                out.add(bucket);
            }
        }
        return out;
    }

    @Override
    public M4 m4(SeriesId id, long from, long to, int width) {
        if (to <= from || width <= 0) {
            throw new IllegalArgumentException("need from < to and width > 0");
        }
        return read(() -> new M4Planner(config, this).plan(id, from, to, width));
    }

    @Override
    public Optional<Sample> latest(SeriesId id) {
        return read(() -> {
            Sample s = head(id).latest();
            if (s != null) {
                return Optional.of(s);
            }
            List<Block> raw = catalog.raw();
            for (int i = raw.size() - 1; i >= 0; i--) {
                Block b = raw.get(i);
                int e = b.find(id.value());
                if (e >= 0) {
                    Samples samples = checked(() -> b.samples(disk, e));
                    int last = samples.size() - 1;
                    return Optional.of(new Sample(samples.timestamps()[last], samples.values()[last]));
                }
            }
            return Optional.empty();
        });
    }

    private HeadSeries head(SeriesId id) {
        HeadSeries[] h = heads;
        if (id.value() >= index.size() || id.value() >= h.length) {
            throw new IllegalArgumentException("unknown series id " + id.value());
        }
        return h[id.value()];
    }

    private interface Read<T> {
        T get() throws IOException;
    }

    private <T> T read(Read<T> query) {
        structure.readLock().lock();
        try {
            return query.get();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            structure.readLock().unlock();
        }
    }

    private <T> T checked(Read<T> read) throws IOException {
        try {
            return read.get();
        } catch (CorruptDataException e) {
            catalog.corruptFiles.incrementAndGet();
            throw e;
        }
    }

    @Override
    public void checkpoint() throws IOException {
        checkpoint(false);
    }

    /**
     * A checkpoint that also seals every window holding data, however recent; afterwards samples
     * before the end of the newest window are rejected. For bulk loads and benchmarks.
     */
    public void sealAll() throws IOException {
        checkpoint(true);
    }

    private void checkpoint(boolean everything) throws IOException {
        structure.writeLock().lock();
        try {
            checkOpen();
            long gen = generation + 1;
            long segment = wal.segment() + 1;
            wal.rollover(segment);
            if (newest != Long.MIN_VALUE) {
                long until = everything ? Math.floorDiv(newest, window) * window + window
                        : Math.floorDiv(newest - config.sealDelay().toMillis(), window) * window;
                if (until > sealedUntil) {
                    new WindowSealer(config, catalog).seal(heads, index.size(), until, gen);
                    sealedUntil = until;
                }
            }
            List<Block> merged = catalog.compact(sealedUntil, gen);
            index.persist(disk, dir);
            Map<Integer, Samples> headSamples = new LinkedHashMap<>();
            HeadSeries[] h = heads;
            for (int id = 0; id < index.size(); id++) {
                Samples s = h[id].samples();
                if (s.size() > 0) {
                    headSamples.put(id, s);
                }
            }
            new HeadSnapshot(gen, segment, sealedUntil, newest, headSamples).write(disk, dir);
            generation = gen;
            for (Path file : disk.list(dir.resolve(WriteAheadLog.DIR))) {
                if (WriteAheadLog.segmentNumber(file) < segment) {
                    disk.delete(file);
                }
            }
            catalog.delete(merged);
            catalog.enforceRetention(config.clock().millis());
            checkpoints.incrementAndGet();
        } finally {
            structure.writeLock().unlock();
        }
    }

    @Override
    public StoreStats stats() {
        return read(() -> {
            long headSamples = 0;
            HeadSeries[] h = heads;
            int series = index.size();
            for (int id = 0; id < series; id++) {
                headSamples += h[id].count();
            }
            long rawSamples = 0;
            long rawBytes = 0;
            for (Block b : catalog.raw()) {
                rawSamples += b.totalCount();
                rawBytes += b.fileBytes;
            }
            List<StoreStats.Level> levels = new ArrayList<>();
            for (int level = 0; level < config.rollups().size(); level++) {
                long buckets = 0;
                long bytes = 0;
                for (Block b : catalog.level(level)) {
                    buckets += b.totalCount();
                    bytes += b.fileBytes;
                }
                levels.add(new StoreStats.Level(config.rollups().get(level).stepMs(), catalog.level(level).size(), buckets, bytes));
            }
            List<Path> walFiles = disk.list(dir.resolve(WriteAheadLog.DIR));
            long walBytes = 0;
            for (Path f : walFiles) {
                walBytes += disk.size(f);
            }
            return new StoreStats(series, accepted.get(), rejected.get(), headSamples, catalog.raw().size(), rawSamples,
                    rawBytes, levels, walFiles.size(), walBytes, checkpoints.get(), catalog.compactions.get(),
                    catalog.corruptFiles.get(), walTruncated);
        });
    }

    /** Approximate heap held by the series index, for capacity planning. */
    public long seriesIndexHeapBytes() {
        return index.heapBytes();
    }

    /** Closes without a checkpoint: the WAL holds everything, and the next open replays it. */
    @Override
    public void close() throws IOException {
        structure.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                wal.close();
            }
        } finally {
            structure.writeLock().unlock();
        }
    }
}
