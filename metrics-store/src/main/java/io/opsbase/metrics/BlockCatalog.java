package io.opsbase.metrics;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sealed files: {@code raw/<windowStart>.blk} per block window, and per rollup level
 * {@code rollup-<stepMs>/part-<windowStart>.blk} per block window until compaction merges a whole
 * file window of parts into {@code rollup-<stepMs>/<fileWindowStart>.blk}.
 *
 * <p>Invariant: within a level, files never overlap in time; lists are sorted by window start.
 * Lists are replaced, never changed in place, and only under the store's write lock; readers see
 * them under the read lock, so no file they hold is deleted under them.
 */
final class BlockCatalog {

    private final StoreConfig config;
    private final Disk disk;
    private volatile List<Block> raw = List.of();
    private final List<List<Block>> levels = new ArrayList<>();
    final AtomicLong corruptFiles = new AtomicLong();
    final AtomicLong compactions = new AtomicLong();

    BlockCatalog(StoreConfig config) {
        this.config = config;
        this.disk = config.disk();
        for (int i = 0; i < config.rollups().size(); i++) {
            levels.add(List.of());
        }
    }

    Path rawDir() {
        return config.directory().resolve("raw");
    }

    Path levelDir(int level) {
        return config.directory().resolve("rollup-" + config.rollups().get(level).stepMs());
    }

    List<Block> raw() {
        return raw;
    }

    List<Block> level(int level) {
        return levels.get(level);
    }

    /**
     * Loads every file; deletes leftovers of an interrupted checkpoint (temporary files, files of a
     * generation newer than the head snapshot's, parts already merged into a compacted file);
     * counts and skips files that fail their checksum.
     */
    void load(long generation) throws IOException {
        raw = loadDir(rawDir(), generation);
        for (int i = 0; i < levels.size(); i++) {
            List<Block> files = loadDir(levelDir(i), generation);
            List<Block> kept = new ArrayList<>();
            for (Block b : files) {
                boolean merged = isPart(b) && files.stream().anyMatch(c -> !isPart(c)
                        && c.windowStart <= b.windowStart && b.windowEnd <= c.windowEnd);
                if (merged) {
                    disk.delete(b.path);
                } else {
                    kept.add(b);
                }
            }
            levels.set(i, List.copyOf(kept));
        }
    }

    private List<Block> loadDir(Path dir, long generation) throws IOException {
        disk.createDirectories(dir);
        List<Block> out = new ArrayList<>();
        for (Path file : disk.list(dir)) {
            String name = file.getFileName().toString();
            if (name.endsWith(".tmp")) {
                disk.delete(file);
                continue;
            }
            if (!name.endsWith(".blk")) {
                continue;
            }
            try {
                Block b = Block.open(disk, file);
                if (b.generation > generation) {
                    disk.delete(file);
                } else {
                    out.add(b);
                }
            } catch (CorruptDataException e) {
                corruptFiles.incrementAndGet();
            }
        }
        out.sort(Comparator.comparingLong(b -> b.windowStart));
        return out;
    }

    private boolean isPart(Block b) {
        return b.path.getFileName().toString().startsWith("part-");
    }

    void addRaw(long windowStart, List<Block.Entry> entries, long generation) throws IOException {
        long end = windowStart + config.blockWindow().toMillis();
        Block b = Block.write(disk, rawDir().resolve(windowStart + ".blk"), Block.RAW, 0, windowStart, end, generation, entries);
        raw = sorted(raw, b);
    }

    void addPart(int level, long windowStart, List<Block.Entry> entries, long generation) throws IOException {
        RollupLevel l = config.rollups().get(level);
        boolean finalFile = l.fileWindow().equals(config.blockWindow());
        String name = (finalFile ? "" : "part-") + windowStart + ".blk";
        long end = windowStart + config.blockWindow().toMillis();
        Block b = Block.write(disk, levelDir(level).resolve(name), Block.ROLLUP, l.stepMs(), windowStart, end, generation, entries);
        levels.set(level, sorted(levels.get(level), b));
    }

    private static List<Block> sorted(List<Block> list, Block added) {
        List<Block> out = new ArrayList<>(list);
        out.add(added);
        out.sort(Comparator.comparingLong(b -> b.windowStart));
        return List.copyOf(out);
    }

    /**
     * Merges the parts of every file window that ended at or before {@code sealedUntil} into one
     * file. Returns the merged parts: the caller deletes them only after the head snapshot naming
     * this generation is durable, so a crash in between keeps the parts.
     */
    List<Block> compact(long sealedUntil, long generation) throws IOException {
        List<Block> obsolete = new ArrayList<>();
        for (int level = 0; level < levels.size(); level++) {
            long fileWindow = config.rollups().get(level).fileWindow().toMillis();
            Map<Long, List<Block>> groups = new TreeMap<>();
            for (Block b : levels.get(level)) {
                if (isPart(b)) {
                    groups.computeIfAbsent(Math.floorDiv(b.windowStart, fileWindow) * fileWindow, k -> new ArrayList<>()).add(b);
                }
            }
            for (Map.Entry<Long, List<Block>> group : groups.entrySet()) {
                long start = group.getKey();
                if (start + fileWindow > sealedUntil) {
                    continue;
                }
                Block merged = merge(level, start, start + fileWindow, group.getValue(), generation);
                List<Block> next = new ArrayList<>(levels.get(level));
                next.removeAll(group.getValue());
                levels.set(level, sorted(next, merged));
                obsolete.addAll(group.getValue());
                compactions.incrementAndGet();
            }
        }
        return obsolete;
    }

    private Block merge(int level, long start, long end, List<Block> parts, long generation) throws IOException {
        long step = config.rollups().get(level).stepMs();
        TreeMap<Integer, List<Bucket>> bySeries = new TreeMap<>();
        for (Block part : parts) {
            for (int e = 0; e < part.entries(); e++) {
                bySeries.computeIfAbsent(part.seriesId(e), k -> new ArrayList<>()).addAll(List.of(part.buckets(disk, e)));
            }
        }
        List<Block.Entry> entries = new ArrayList<>();
        for (Map.Entry<Integer, List<Bucket>> s : bySeries.entrySet()) {
            Bucket[] buckets = s.getValue().toArray(Bucket[]::new);
            entries.add(new Block.Entry(s.getKey(), buckets[0].start(), buckets[buckets.length - 1].start(),
                    buckets.length, BucketCodec.encode(buckets, step, start)));
        }
        return Block.write(disk, levelDir(level).resolve(start + ".blk"), Block.ROLLUP, step, start, end, generation, entries);
    }

    void delete(List<Block> blocks) throws IOException {
        for (Block b : blocks) {
            disk.delete(b.path);
        }
    }

    /** Deletes whole files whose window ended longer ago than their retention. Returns how many. */
    int enforceRetention(long now) throws IOException {
        int dropped = 0;
        List<Block> keep = new ArrayList<>();
        for (Block b : raw) {
            if (b.windowEnd <= now - config.rawRetention().toMillis()) {
                disk.delete(b.path);
                dropped++;
            } else {
                keep.add(b);
            }
        }
        raw = List.copyOf(keep);
        for (int level = 0; level < levels.size(); level++) {
            long retention = config.rollups().get(level).retention().toMillis();
            keep = new ArrayList<>();
            for (Block b : levels.get(level)) {
                if (b.windowEnd <= now - retention) {
                    disk.delete(b.path);
                    dropped++;
                } else {
                    keep.add(b);
                }
            }
            levels.set(level, List.copyOf(keep));
        }
        return dropped;
    }
}
