package io.opsbase.metrics;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sealed files: {@code raw/<windowStart>.blk} per block window, and per rollup level
 * {@code rollup-<stepMs>/part-<windowStart>.blk} per block window until compaction merges a whole
 * file window into {@code rollup-<stepMs>/<fileWindowStart>.blk}. While a file window is still
 * open, the parts of each complete {@link #groupWindow group window} are merged into
 * {@code rollup-<stepMs>/group-<groupStart>.blk}, so a long file window (28 days at 1 h) is not
 * read as hundreds of small parts.
 *
 * <p>The head snapshot lists the files of its checkpoint ({@link #files()}); {@link #load} keeps
 * exactly those, deleting every other block file (written by a checkpoint that did not finish,
 * or merged or expired by one that did). Files are opened lazily ({@link BlockFile}).
 *
 * <p>Invariant: within a level, files never overlap in time; lists are sorted by window start.
 * Lists are replaced, never changed in place, and only under the store's write lock; readers see
 * them under the read lock, so no file they hold is deleted under them.
 */
final class BlockCatalog {

    private static final String PART = "part-";
    private static final String GROUP = "group-";
    private static final String RAW_DIR = "raw";

    private final StoreConfig config;
    private final Disk disk;
    private volatile List<BlockFile> raw = List.of();
    private final List<List<BlockFile>> levels = new ArrayList<>();
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
        return config.directory().resolve(RAW_DIR);
    }

    Path levelDir(int level) {
        return config.directory().resolve("rollup-" + config.rollups().get(level).stepMs());
    }

    List<BlockFile> raw() {
        return raw;
    }

    List<BlockFile> level(int level) {
        return levels.get(level);
    }

    /**
     * Takes the files the head snapshot lists, without reading them; deletes temporary files and
     * every block file the list does not name. A listed file that is missing counts as corrupt.
     */
    void load(List<HeadSnapshot.SealedFile> listed) throws IOException {
        Map<String, HeadSnapshot.SealedFile> byName = new HashMap<>();
        for (HeadSnapshot.SealedFile f : listed) {
            byName.put(f.name(), f);
        }
        raw = loadDir(rawDir(), byName);
        List<String> dirs = new ArrayList<>(List.of(RAW_DIR));
        for (int i = 0; i < levels.size(); i++) {
            levels.set(i, loadDir(levelDir(i), byName));
            dirs.add(levelDir(i).getFileName().toString());
        }
        // Listed but not found: lost files of a tier still configured (a removed tier's are ignored).
        long lost = 0;
        for (String name : byName.keySet()) {
            if (dirs.contains(name.substring(0, name.indexOf('/')))) {
                lost++;
            }
        }
        corruptFiles.addAndGet(lost);
    }

    /** A named comparator, not a lambda: opening runs in a fresh JVM, where each lambda's first call links it. */
    private static final Comparator<BlockFile> BY_WINDOW_START = new Comparator<>() {
        @Override
        public int compare(BlockFile a, BlockFile b) {
            return Long.compare(a.windowStart, b.windowStart);
        }
    };

    /** Takes the listed files of {@code dir}, removing them from {@code listed}; deletes the rest. */
    private List<BlockFile> loadDir(Path dir, Map<String, HeadSnapshot.SealedFile> listed) throws IOException {
        disk.createDirectories(dir);
        List<BlockFile> out = new ArrayList<>();
        for (Path file : disk.list(dir)) {
            String name = file.getFileName().toString();
            if (name.endsWith(".tmp")) {
                disk.delete(file);
                continue;
            }
            if (!name.endsWith(".blk")) {
                continue;
            }
            HeadSnapshot.SealedFile f = listed.remove(dir.getFileName() + "/" + name);
            if (f == null) {
                disk.delete(file);
            } else {
                out.add(new BlockFile(disk, file, f.windowStart(), f.windowEnd(), corruptFiles));
            }
        }
        out.sort(BY_WINDOW_START);
        return List.copyOf(out);
    }

    /** Every file of the catalog, for the head snapshot's list. */
    List<HeadSnapshot.SealedFile> files() {
        List<HeadSnapshot.SealedFile> out = new ArrayList<>();
        List<List<BlockFile>> all = new ArrayList<>(levels);
        all.addFirst(raw);
        for (List<BlockFile> files : all) {
            for (BlockFile f : files) {
                out.add(new HeadSnapshot.SealedFile(f.relativeName(), f.windowStart, f.windowEnd));
            }
        }
        return out;
    }

    /** 0 for a part (one block window), 1 for a group of parts, 2 for a whole file window. */
    private static int rank(BlockFile b) {
        String name = b.path.getFileName().toString();
        return name.startsWith(PART) ? 0 : name.startsWith(GROUP) ? 1 : 2;
    }

    /**
     * The window parts are grouped into while their file window is still open: the multiple of the
     * block window dividing the file window that is nearest the geometric mean of the two, so an
     * open file window holds about as many group files as parts (at defaults: 1 h level 32 h
     * groups, 5 min level 14 h, 1 min level 6 h). 0 when no such window lies strictly between the two.
     */
    long groupWindow(int level) {
        long block = config.blockWindow().toMillis();
        long blocks = config.rollups().get(level).fileWindow().toMillis() / block;
        double target = Math.sqrt(blocks);
        long best = 0;
        for (long d = 2; d < blocks; d++) {
            if (blocks % d == 0 && (best == 0 || Math.abs(d - target) < Math.abs(best - target))) {
                best = d;
            }
        }
        return best * block;
    }

    void addRaw(long windowStart, List<Block.Entry> entries, long generation) throws IOException {
        long end = windowStart + config.blockWindow().toMillis();
        Block b = Block.write(disk, rawDir().resolve(windowStart + ".blk"), Block.RAW, 0, windowStart, end, generation, entries);
        raw = sorted(raw, BlockFile.of(disk, b, corruptFiles));
    }

    void addPart(int level, long windowStart, List<Block.RollupEntry> entries, long generation) throws IOException {
        RollupLevel l = config.rollups().get(level);
        boolean finalFile = l.fileWindow().equals(config.blockWindow());
        String name = (finalFile ? "" : PART) + windowStart + ".blk";
        long end = windowStart + config.blockWindow().toMillis();
        Block b = Block.writeRollup(disk, levelDir(level).resolve(name), l.stepMs(), windowStart, end, generation, entries);
        levels.set(level, sorted(levels.get(level), BlockFile.of(disk, b, corruptFiles)));
    }

    private static List<BlockFile> sorted(List<BlockFile> list, BlockFile added) {
        List<BlockFile> out = new ArrayList<>(list);
        out.add(added);
        out.sort(BY_WINDOW_START);
        return List.copyOf(out);
    }

    /**
     * Merges the files of every file window that ended at or before {@code sealedUntil} into one
     * file, and in file windows still open the parts of every complete group window into a group
     * file. Returns the merged files, no longer in the catalog: the caller deletes them only after
     * the head snapshot naming this generation is durable, so a crash in between keeps them.
     */
    List<BlockFile> compact(long sealedUntil, long generation) throws IOException {
        List<BlockFile> obsolete = new ArrayList<>();
        for (int level = 0; level < levels.size(); level++) {
            long fileWindow = config.rollups().get(level).fileWindow().toMillis();
            long groupWindow = groupWindow(level);
            Map<Long, List<BlockFile>> byFileWindow = new TreeMap<>();
            for (BlockFile b : levels.get(level)) {
                if (rank(b) < 2) {
                    byFileWindow.computeIfAbsent(Math.floorDiv(b.windowStart, fileWindow) * fileWindow, k -> new ArrayList<>()).add(b);
                }
            }
            for (Map.Entry<Long, List<BlockFile>> files : byFileWindow.entrySet()) {
                long start = files.getKey();
                if (start + fileWindow <= sealedUntil) {
                    replace(level, files.getValue(), merge(level, "", start, start + fileWindow, files.getValue(), generation), obsolete);
                } else if (groupWindow > 0) {
                    Map<Long, List<BlockFile>> byGroup = new TreeMap<>();
                    for (BlockFile b : files.getValue()) {
                        if (rank(b) == 0) {
                            byGroup.computeIfAbsent(Math.floorDiv(b.windowStart, groupWindow) * groupWindow, k -> new ArrayList<>()).add(b);
                        }
                    }
                    for (Map.Entry<Long, List<BlockFile>> group : byGroup.entrySet()) {
                        long g = group.getKey();
                        if (g + groupWindow <= sealedUntil) {
                            replace(level, group.getValue(), merge(level, GROUP, g, g + groupWindow, group.getValue(), generation), obsolete);
                        }
                    }
                }
            }
        }
        return obsolete;
    }

    private void replace(int level, List<BlockFile> inputs, BlockFile merged, List<BlockFile> obsolete) {
        List<BlockFile> next = new ArrayList<>(levels.get(level));
        next.removeAll(inputs);
        levels.set(level, sorted(next, merged));
        obsolete.addAll(inputs);
        compactions.incrementAndGet();
    }

    /**
     * Merges files (sorted by window, not overlapping) into {@code <prefix><start>.blk}. A file
     * that fails its checks is left out (it is counted as corrupt, and its data was lost already).
     */
    private BlockFile merge(int level, String prefix, long start, long end, List<BlockFile> parts, long generation) throws IOException {
        long step = config.rollups().get(level).stepMs();
        TreeMap<Integer, List<Bucket>> bySeries = new TreeMap<>();
        for (BlockFile file : parts) {
            Block part = file.block();
            if (part == null) {
                continue;
            }
            for (int e = 0; e < part.entries(); e++) {
                bySeries.computeIfAbsent(part.seriesId(e), k -> new ArrayList<>()).addAll(List.of(part.buckets(disk, e)));
            }
        }
        List<Block.RollupEntry> entries = new ArrayList<>();
        for (Map.Entry<Integer, List<Bucket>> s : bySeries.entrySet()) {
            entries.add(new Block.RollupEntry(s.getKey(), s.getValue().toArray(Bucket[]::new)));
        }
        Block b = Block.writeRollup(disk, levelDir(level).resolve(prefix + start + ".blk"), step, start, end, generation, entries);
        return BlockFile.of(disk, b, corruptFiles);
    }

    void delete(List<BlockFile> files) throws IOException {
        for (BlockFile b : files) {
            disk.delete(b.path);
        }
    }

    /**
     * Takes out of the catalog whole files whose window ended longer ago than their retention and
     * returns them; the caller deletes them once the head snapshot no longer listing them is durable.
     */
    List<BlockFile> expire(long now) {
        List<BlockFile> expired = new ArrayList<>();
        raw = keepRecent(raw, now - config.rawRetention().toMillis(), expired);
        for (int level = 0; level < levels.size(); level++) {
            levels.set(level, keepRecent(levels.get(level), now - config.rollups().get(level).retention().toMillis(), expired));
        }
        return expired;
    }

    private static List<BlockFile> keepRecent(List<BlockFile> files, long horizon, List<BlockFile> expired) {
        List<BlockFile> keep = new ArrayList<>();
        for (BlockFile b : files) {
            (b.windowEnd <= horizon ? expired : keep).add(b);
        }
        return List.copyOf(keep);
    }
}
