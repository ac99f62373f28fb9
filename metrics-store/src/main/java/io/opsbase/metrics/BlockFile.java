package io.opsbase.metrics;

import java.io.EOFException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A block file known by its name and window (from the head snapshot's file list) whose header and
 * index are read only when a query, a compaction or the statistics first need them. Opening a
 * store therefore reads no block at all, and a graph over one tier never opens the other tiers'
 * files. A file that fails its checks when first opened (or has gone missing) is counted in
 * {@code corruptFiles} once and from then on left out, as if it were not there.
 *
 * <p>Thread-safe: the block is opened at most once, under this object's monitor.
 */
final class BlockFile {

    final Path path;
    final long windowStart;
    final long windowEnd;
    private final Disk disk;
    private final AtomicLong corruptFiles;
    private volatile Block block;
    private volatile boolean corrupt;

    BlockFile(Disk disk, Path path, long windowStart, long windowEnd, AtomicLong corruptFiles) {
        this.disk = disk;
        this.path = path;
        this.windowStart = windowStart;
        this.windowEnd = windowEnd;
        this.corruptFiles = corruptFiles;
    }

    /** A handle for a block just written, already open. */
    static BlockFile of(Disk disk, Block block, AtomicLong corruptFiles) {
        BlockFile file = new BlockFile(disk, block.path, block.windowStart, block.windowEnd, corruptFiles);
        file.block = block;
        return file;
    }

    /** True when the file's window meets {@code [from, to)}. */
    boolean overlaps(long from, long to) {
        return windowEnd > from && windowStart < to;
    }

    /** The opened block, or null when it failed its checks (counted once, then left out). */
    Block block() throws IOException {
        Block b = block;
        if (b != null || corrupt) {
            return b;
        }
        synchronized (this) {
            if (block == null && !corrupt) {
                try {
                    Block opened = Block.open(disk, path);
                    if (opened.windowStart != windowStart || opened.windowEnd != windowEnd) {
                        throw new CorruptDataException(path + ": window differs from the head snapshot's file list");
                    }
                    block = opened;
                } catch (CorruptDataException | EOFException | NoSuchFileException e) {
                    corrupt = true;
                    corruptFiles.incrementAndGet();
                }
            }
            return block;
        }
    }

    /** The file name relative to the store directory, as the head snapshot lists it. */
    String relativeName() {
        return path.getParent().getFileName() + "/" + path.getFileName();
    }
}
