package io.opsbase.metrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The embedded time-series engine. Files under {@link StoreConfig#directory()} (see
 * docs/metrics-store.md for every byte): {@code series.idx} ({@link SeriesIndex}), {@code head.snap}
 * ({@link HeadSnapshot}), {@code wal/} ({@link WriteAheadLog}, payloads {@link WalRecords}),
 * {@code raw/} and {@code rollup-<step>/} ({@link Block}, listed by {@link BlockCatalog}). This
 * class owns the life cycle — recovery at open, appends, checkpoints; queries are answered by
 * {@link SealedReader} and {@link M4Planner}. Only accepted samples are logged, so replay
 * reproduces the head exactly.
 *
 * <p>Thread-safety: every public method may be called from any thread. Appends are serialised
 * among themselves (WAL order is head order) but run alongside queries; a query sees each
 * series' head as of some instant, possibly including samples not yet durable. Checkpoints take
 * the structure lock exclusively, pausing appends and queries while files change.
 */
public final class DiskMetricStore implements MetricStore {

    private final StoreConfig config;
    private final Disk disk;
    private final Path dir;
    private final long window;
    private final long tolerance;
    private final SeriesIndex index;
    private final BlockCatalog catalog;
    private final Heads heads = new Heads();
    private final SealedReader reader;
    private final ReentrantReadWriteLock structure = new ReentrantReadWriteLock();
    private final Object appendLock = new Object();
    private final WalRecords records = new WalRecords();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong checkpoints = new AtomicLong();
    private final long walTruncated;
    private volatile long sealedUntil;
    private long newest;
    private long generation;
    private WriteAheadLog wal;
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
        catalog.load(snapshot.files());
        reader = new SealedReader(config, catalog, heads);
        heads.ensure(index.size());
        for (Map.Entry<Integer, Samples> e : snapshot.series().entrySet()) {
            Samples s = e.getValue();
            for (int i = 0; i < s.size(); i++) {
                heads.get(e.getKey()).append(s.timestamps()[i], s.values()[i], tolerance, sealedUntil, window);
            }
        }
        Path walDir = dir.resolve(WriteAheadLog.DIR);
        disk.createDirectories(walDir);
        for (Path file : disk.list(walDir)) {
            if (WriteAheadLog.segmentNumber(file) < snapshot.walSegment()) {
                disk.delete(file);
            }
        }
        WriteAheadLog.Replay replay = WriteAheadLog.replay(disk, walDir, snapshot.walSegment(),
                // An anonymous class, not a lambda: opening must not link the JVM's lambda machinery
                // (a graph right after a start runs in a fresh JVM).
                new java.util.function.Consumer<java.nio.ByteBuffer>() {
                    @Override
                    public void accept(java.nio.ByteBuffer in) {
                        WalRecords.replay(in, new WalRecords.Target() {
                            @Override
                            public void defineSeries(int id, String key) {
                                index.define(id, key);
                                heads.ensure(id + 1);
                            }

                            @Override
                            public void sample(int id, long t, double v) {
                                heads.get(id).append(t, v, tolerance, sealedUntil, window);
                                newest = Math.max(newest, t);
                            }
                        });
                    }
                });
        walTruncated = replay.truncatedBytes();
        wal = new WriteAheadLog(disk, walDir, Math.max(replay.lastSegment() + 1, snapshot.walSegment()));
    }

    /** Opens (or creates) the store, recovering from whatever state a crash left. */
    public static DiskMetricStore open(StoreConfig config) throws IOException {
        return new DiskMetricStore(config);
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
                    ByteBuffer record = WalRecords.series(id, key.format());
                    wal.append(record.array(), record.position());
                    heads.ensure(id + 1);
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
            int ok;
            synchronized (appendLock) {
                checkOpen();
                int n = batch.size();
                records.beginSamples(n);
                long since = sealedUntil;
                int known = index.size();
                for (int i = 0; i < n; i++) {
                    int id = batch.series()[i];
                    long t = batch.timestamps()[i];
                    double v = batch.values()[i];
                    if (id < 0 || id >= known) {
                        throw new IllegalArgumentException("unknown series id " + id);
                    }
                    if (heads.get(id).append(t, v, tolerance, since, window)) {
                        records.addSample(id, t, v);
                        newest = Math.max(newest, t);
                    }
                }
                ok = records.count();
                int end = records.finishSamples();
                position = ok > 0 ? wal.append(records.bytes(), end) : 0;
            }
            accepted.addAndGet(ok);
            rejected.addAndGet(batch.size() - ok);
            AppendResult result = new AppendResult(ok, batch.size() - ok);
            return ok > 0 ? wal.durable(position).thenApply(x -> result) : CompletableFuture.completedFuture(result);
        } finally {
            structure.readLock().unlock();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("store closed");
        }
    }

    @Override
    public Samples raw(SeriesId id, long from, long to) {
        structure.readLock().lock();
        try {
            return reader.raw(known(id), from, to);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            structure.readLock().unlock();
        }
    }

    @Override
    public List<Bucket> buckets(SeriesId id, Duration step, long from, long to) {
        int level = levelOf(step);
        structure.readLock().lock();
        try {
            return reader.buckets(known(id), level, from, to);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            structure.readLock().unlock();
        }
    }

    private int levelOf(Duration step) {
        for (int i = 0; i < config.rollups().size(); i++) {
            if (config.rollups().get(i).step().equals(step)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no rollup with step " + step + "; configured: " + config.rollups());
    }

    /** For the planner, under the read lock it already holds: see {@link SealedReader#fold}. */
    List<long[]> foldAt(SeriesId id, int level, long from, long to, BucketSink sink) {
        try {
            return reader.fold(known(id), level, from, to, sink);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public M4 m4(SeriesId id, long from, long to, int width) {
        if (to <= from || width <= 0 || width > M4.MAX_WIDTH) {
            throw new IllegalArgumentException("need from < to and 0 < width <= " + M4.MAX_WIDTH);
        }
        // The query paths lock inline rather than through read(lambda): a graph queried right
        // after a start runs in a fresh JVM, where linking each lambda costs milliseconds.
        structure.readLock().lock();
        try {
            return new M4Planner(config, this).plan(id, from, to, width);
        } finally {
            structure.readLock().unlock();
        }
    }

    @Override
    public Optional<Sample> latest(SeriesId id) {
        structure.readLock().lock();
        try {
            return Optional.ofNullable(reader.latest(known(id)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            structure.readLock().unlock();
        }
    }

    private int known(SeriesId id) {
        if (id.value() < 0 || id.value() >= index.size() || id.value() >= heads.all().length) {
            throw new IllegalArgumentException("unknown series id " + id.value());
        }
        return id.value();
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

    /**
     * Seals due windows, compacts rollups, takes expired files out of the catalog, persists the
     * index and writes the head snapshot (listing the files); only then deletes WAL segments,
     * merged and expired files — a crash before that point reopens on the previous snapshot.
     */
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
                    new WindowSealer(config, catalog).seal(heads.all(), index.size(), until, gen);
                    sealedUntil = until;
                }
            }
            List<BlockFile> obsolete = new ArrayList<>(catalog.compact(sealedUntil, gen));
            obsolete.addAll(catalog.expire(config.clock().millis()));
            index.persist(disk, dir);
            Map<Integer, Samples> headSamples = new LinkedHashMap<>();
            HeadSeries[] h = heads.all();
            for (int id = 0; id < index.size(); id++) {
                Samples s = h[id].samples();
                if (s.size() > 0) {
                    headSamples.put(id, s);
                }
            }
            new HeadSnapshot(gen, segment, sealedUntil, newest, headSamples, catalog.files()).write(disk, dir);
            generation = gen;
            for (Path file : disk.list(dir.resolve(WriteAheadLog.DIR))) {
                if (WriteAheadLog.segmentNumber(file) < segment) {
                    disk.delete(file);
                }
            }
            catalog.delete(obsolete);
            checkpoints.incrementAndGet();
        } finally {
            structure.writeLock().unlock();
        }
    }

    /** Opens every block file (lazily opened ones too) to count their samples, buckets and bytes. */
    @Override
    public StoreStats stats() {
        return read(() -> {
            long headSamples = 0;
            HeadSeries[] h = heads.all();
            int series = index.size();
            for (int id = 0; id < series; id++) {
                headSamples += h[id].count();
            }
            SealedReader.FileTotals raw = SealedReader.totals(catalog.raw());
            List<StoreStats.Level> levels = new ArrayList<>();
            for (int level = 0; level < config.rollups().size(); level++) {
                SealedReader.FileTotals t = SealedReader.totals(catalog.level(level));
                levels.add(new StoreStats.Level(config.rollups().get(level).stepMs(), t.files(), t.count(), t.bytes()));
            }
            List<Path> walFiles = disk.list(dir.resolve(WriteAheadLog.DIR));
            long walBytes = 0;
            for (Path f : walFiles) {
                walBytes += disk.size(f);
            }
            return new StoreStats(series, accepted.get(), rejected.get(), headSamples, raw.files(), raw.count(),
                    raw.bytes(), levels, walFiles.size(), walBytes, checkpoints.get(), catalog.compactions.get(),
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
