package io.opsbase.metrics;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Answers queries from the sealed files plus the head: raw samples, rollup buckets, the latest
 * sample. Only files whose window meets the range are opened, and in each only the one series'
 * payload is read (a positional read located by the block index). Called under the store's read
 * lock, so no file it reads is deleted meanwhile; a payload failing its CRC raises
 * {@link CorruptDataException} and is counted.
 */
final class SealedReader {

    private final StoreConfig config;
    private final Disk disk;
    private final BlockCatalog catalog;
    private final Heads heads;

    SealedReader(StoreConfig config, BlockCatalog catalog, Heads heads) {
        this.config = config;
        this.disk = config.disk();
        this.catalog = catalog;
        this.heads = heads;
    }

    Samples raw(int id, long from, long to) throws IOException {
        SampleBuffer out = new SampleBuffer(64);
        for (BlockFile file : catalog.raw()) {
            if (!file.overlaps(from, to)) {
                continue;
            }
            Block b = file.block();
            int e = b == null ? -1 : b.find(id);
            if (e >= 0 && b.maxT(e) >= from && b.minT(e) < to) {
                out.addAll(samples(b, e));
            }
        }
        out.addAll(heads.get(id).samples());
        return out.slice(from, to);
    }

    /** Rollup buckets of one level overlapping {@code [from, to)}. */
    List<Bucket> buckets(int id, int level, long from, long to) throws IOException {
        long step = config.rollups().get(level).stepMs();
        List<Bucket> out = new ArrayList<>();
        for (BlockFile file : catalog.level(level)) {
            if (!file.overlaps(from, to)) {
                continue;
            }
            Block b = file.block();
            int e = b == null ? -1 : b.find(id);
            if (e >= 0 && b.maxT(e) + step > from && b.minT(e) < to) {
                Bucket[] stored = buckets(b, e);
                if (b.minT(e) + step > from && b.maxT(e) < to) {
                    out.addAll(Arrays.asList(stored));
                } else {
                    for (Bucket bucket : stored) {
                        if (bucket.start() + step > from && bucket.start() < to) {
                            out.add(bucket);
                        }
                    }
                }
            }
        }
        Samples head = heads.get(id).samples();
        for (Bucket bucket : Bucket.aggregate(head.timestamps(), head.values(), head.size(), step)) {
            if (bucket.start() + step > from && bucket.start() < to) {
                out.add(bucket);
            }
        }
        return out;
    }

    /**
     * Folds the buckets of one level overlapping {@code [from, to)} into {@code sink}, the head's
     * included, building no bucket on a first read ({@link Block#fold}). Returns the windows of
     * files in the range that could not be read (failed checks at open or a corrupt payload,
     * counted), so the caller can fill them from a coarser tier; empty when every file was read.
     */
    List<long[]> fold(int id, int level, long from, long to, BucketSink sink) throws IOException {
        long step = config.rollups().get(level).stepMs();
        List<long[]> unreadable = new ArrayList<>(0);
        for (BlockFile file : catalog.level(level)) {
            if (!file.overlaps(from, to)) {
                continue;
            }
            Block b = file.block();
            if (b == null) {
                unreadable.add(new long[] {file.windowStart, file.windowEnd});
                continue;
            }
            int e = b.find(id);
            if (e >= 0 && b.maxT(e) + step > from && b.minT(e) < to) {
                try {
                    b.fold(disk, e, from - step, to, sink);
                } catch (CorruptDataException ex) {
                    catalog.corruptFiles.incrementAndGet();
                    unreadable.add(new long[] {file.windowStart, file.windowEnd});
                }
            }
        }
        Samples head = heads.get(id).samples();
        for (Bucket bucket : Bucket.aggregate(head.timestamps(), head.values(), head.size(), step)) {
            if (bucket.start() + step > from && bucket.start() < to) {
                sink.bucket(bucket.start(), bucket.first(), bucket.last(), bucket.min(), bucket.max());
            }
        }
        return unreadable;
    }

    /** The newest sample: from the head, or else the newest raw block holding the series. */
    Sample latest(int id) throws IOException {
        Sample s = heads.get(id).latest();
        if (s != null) {
            return s;
        }
        List<BlockFile> raw = catalog.raw();
        for (int i = raw.size() - 1; i >= 0; i--) {
            Block b = raw.get(i).block();
            int e = b == null ? -1 : b.find(id);
            if (e >= 0) {
                Samples samples = samples(b, e);
                int last = samples.size() - 1;
                return new Sample(samples.timestamps()[last], samples.values()[last]);
            }
        }
        return null;
    }

    /** Files, samples or buckets, and bytes of a list of files (opening every one). */
    record FileTotals(long files, long count, long bytes) {
    }

    static FileTotals totals(List<BlockFile> files) throws IOException {
        long opened = 0;
        long count = 0;
        long bytes = 0;
        for (BlockFile file : files) {
            Block b = file.block();
            if (b != null) {
                opened++;
                count += b.totalCount();
                bytes += b.fileBytes;
            }
        }
        return new FileTotals(opened, count, bytes);
    }

    // A payload failing its checks is counted, then the error goes on to the caller. Plain
    // methods rather than one taking a lambda: the first query after a start runs in a fresh JVM.

    private Samples samples(Block b, int e) throws IOException {
        try {
            return b.samples(disk, e);
        } catch (CorruptDataException ex) {
            catalog.corruptFiles.incrementAndGet();
            throw ex;
        }
    }

    private Bucket[] buckets(Block b, int e) throws IOException {
        try {
            return b.buckets(disk, e);
        } catch (CorruptDataException ex) {
            catalog.corruptFiles.incrementAndGet();
            throw ex;
        }
    }
}
