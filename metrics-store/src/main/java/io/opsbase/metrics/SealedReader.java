package io.opsbase.metrics;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongPredicate;

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
                out.addAll(checked(() -> b.samples(disk, e)));
            }
        }
        out.addAll(heads.get(id).samples());
        return out.slice(from, to);
    }

    List<Bucket> buckets(int id, int level, long from, long to) throws IOException {
        return buckets(id, level, from, to, null);
    }

    /**
     * Rollup buckets of one level overlapping {@code [from, to)}; with a {@code keep} filter on
     * bucket starts only those it accepts, decoding no others where the encoding allows.
     */
    List<Bucket> buckets(int id, int level, long from, long to, LongPredicate keep) throws IOException {
        long step = config.rollups().get(level).stepMs();
        List<Bucket> out = new ArrayList<>();
        for (BlockFile file : catalog.level(level)) {
            if (!file.overlaps(from, to)) {
                continue;
            }
            Block b = file.block();
            int e = b == null ? -1 : b.find(id);
            if (e >= 0 && b.maxT(e) + step > from && b.minT(e) < to) {
                Bucket[] stored = checked(() -> keep == null ? b.buckets(disk, e) : b.buckets(disk, e, keep));
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
            if (bucket.start() + step > from && bucket.start() < to && (keep == null || keep.test(bucket.start()))) {
                out.add(bucket);
            }
        }
        return out;
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
                Samples samples = checked(() -> b.samples(disk, e));
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

    private interface Read<T> {
        T get() throws IOException;
    }

    private <T> T checked(Read<T> read) throws IOException {
        try {
            return read.get();
        } catch (CorruptDataException e) {
            catalog.corruptFiles.incrementAndGet();
            throw e;
        }
    }
}
