package io.opsbase.metrics;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The version 2 rollup writer, as it was before rollup blocks became version 3: one payload and
 * one CRC per series. Kept as test code to prove that stores holding such files stay readable.
 */
final class Version2Rollups {

    private Version2Rollups() {
    }

    /** A version 2 rollup payload: starts, counts, values ({@link BucketCodec}). */
    static byte[] encode(Bucket[] buckets, long resolution, long windowStart) {
        BitWriter out = new BitWriter(buckets.length * 4);
        long base = Math.floorDiv(windowStart, resolution);
        int n = buckets.length;
        boolean run = true;
        for (int i = 1; i < n && run; i++) {
            run = buckets[i].start() - buckets[i - 1].start() == resolution;
        }
        out.writeBit(run);
        long prevIndex = 0;
        for (int i = 0; i < (run ? Math.min(n, 1) : n); i++) {
            long index = Math.floorDiv(buckets[i].start(), resolution);
            out.writeSigned(i == 0 ? index - base : index - prevIndex - 1);
            prevIndex = index;
        }
        BucketCodec.writeCounts(out, buckets);
        out.append(BucketCodec.values(buckets, JointDecimal.Reference.NONE));
        return out.toByteArray();
    }

    /** Writes a version 2 rollup block file. */
    static Block write(Disk disk, Path path, long step, long windowStart, long windowEnd, long generation,
                       List<Block.RollupEntry> series) throws IOException {
        List<Block.Entry> entries = new ArrayList<>();
        for (Block.RollupEntry e : series) {
            Bucket[] b = e.buckets();
            entries.add(new Block.Entry(e.seriesId(), b[0].start(), b[b.length - 1].start(), b.length,
                    encode(b, step, windowStart)));
        }
        return Block.write(disk, path, Block.ROLLUP, step, windowStart, windowEnd, generation, entries);
    }
}
