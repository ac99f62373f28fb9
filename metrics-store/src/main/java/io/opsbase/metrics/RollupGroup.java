package io.opsbase.metrics;

import java.util.Arrays;
import java.util.List;

/**
 * A group of rollup entries in a version 3 block: consecutive series' buckets bit-packed back to
 * back under one CRC, so that per-file costs (a CRC, a length, an absolute first value, a bucket
 * count) are shared by the series of a group. Per entry, with n, minT and maxT from the block
 * index (minT, maxT the first and last bucket start):
 *
 * <pre>
 * starts   nothing when maxT − minT = (n − 1) × step (an unbroken run); else n − 1 ×
 *          writeSigned(index − previous index − 1), index = start / step
 * counts   entries after the first of the group: 1 bit, 1 = the same n counts as the previous
 *          entry (series scraped together); then, unless that bit was 1, the counts as in
 *          {@link BucketCodec#writeCounts}
 * values   {@link BucketCodec#values}; in the joint decimal modes the first value is coded with
 *          an r bit against the previous entry's first value (0.0 for the first of a group)
 * </pre>
 *
 * A group is closed once it holds {@link #TARGET_BYTES} or more, so a series with many buckets
 * is a group of its own and reading one series decodes at most a few hundred bytes of others.
 */
final class RollupGroup {

    /** A group is closed once its payload reaches this size. */
    static final int TARGET_BYTES = 512;

    private RollupGroup() {
    }

    /** Appends one entry to a group's bit stream; {@code previous} is the group's previous entry or null. */
    static void write(BitWriter out, Bucket[] buckets, Bucket[] previous, long step) {
        int n = buckets.length;
        if (buckets[n - 1].start() - buckets[0].start() != (n - 1) * step) {
            for (int i = 1; i < n; i++) {
                out.writeSigned(Math.floorDiv(buckets[i].start(), step) - Math.floorDiv(buckets[i - 1].start(), step) - 1);
            }
        }
        if (previous != null) {
            boolean same = sameCounts(buckets, previous);
            out.writeBit(same);
            if (!same) {
                BucketCodec.writeCounts(out, buckets);
            }
        } else {
            BucketCodec.writeCounts(out, buckets);
        }
        out.append(BucketCodec.values(buckets, reference(previous)));
    }

    private static boolean sameCounts(Bucket[] buckets, Bucket[] previous) {
        if (buckets.length != previous.length) {
            return false;
        }
        for (int i = 0; i < buckets.length; i++) {
            if (buckets[i].count() != previous[i].count()) {
                return false;
            }
        }
        return true;
    }

    private static JointDecimal.Reference reference(Bucket[] previous) {
        return JointDecimal.Reference.of(previous == null ? 0.0 : previous[0].first());
    }

    /**
     * Decodes the entries of a group, whose index metadata are given, up to entry {@code last}
     * (relative to the group). Entries before it are decoded too: the next one's counts and first
     * value may refer to them.
     */
    static Bucket[][] read(byte[] payload, int[] n, long[] minT, long[] maxT, long step, int last) {
        return decode(payload, n, minT, maxT, step, last, 0, 0, null);
    }

    /**
     * Like {@link #read}, but the buckets of entry {@code last} whose start lies in {@code (lo, hi)}
     * go to {@code sink} instead of being built (entries before it are still decoded whole).
     */
    static void fold(byte[] payload, int[] n, long[] minT, long[] maxT, long step, int last, long lo, long hi,
                     BucketSink sink) {
        decode(payload, n, minT, maxT, step, last, lo, hi, sink);
    }

    private static Bucket[][] decode(byte[] payload, int[] n, long[] minT, long[] maxT, long step, int last,
                                     long lo, long hi, BucketSink sink) {
        BitReader in = new BitReader(payload);
        Bucket[][] out = new Bucket[last + 1][];
        Bucket[] previous = null;
        for (int e = 0; e <= last; e++) {
            int size = n[e];
            long[] starts = new long[size];
            if (maxT[e] - minT[e] == (size - 1) * step) {
                for (int i = 0; i < size; i++) {
                    starts[i] = minT[e] + i * step;
                }
            } else {
                long index = Math.floorDiv(minT[e], step);
                starts[0] = minT[e];
                for (int i = 1; i < size; i++) {
                    index += in.readSigned() + 1;
                    starts[i] = index * step;
                }
                if (starts[size - 1] != maxT[e]) {
                    throw new CorruptDataException("rollup bucket starts disagree with the block index");
                }
            }
            long[] counts;
            if (previous != null && in.readBit()) {
                if (previous.length != size) {
                    throw new CorruptDataException("shared bucket counts of a different length");
                }
                counts = new long[size];
                for (int i = 0; i < size; i++) {
                    counts[i] = previous[i].count();
                }
            } else {
                counts = BucketCodec.readCounts(in, size);
            }
            if (e == last && sink != null) {
                BucketCodec.foldValues(in, starts, counts, reference(previous), lo, hi, sink);
                break;
            }
            out[e] = BucketCodec.readValues(in, starts, counts, reference(previous));
            previous = out[e];
        }
        return out;
    }

    /** Splits entries (ascending series id) into groups and encodes each; returns the group sizes. */
    static int[] encode(List<Block.RollupEntry> entries, long step, List<byte[]> payloads) {
        int[] sizes = new int[entries.size()];
        int groups = 0;
        BitWriter out = null;
        Bucket[] previous = null;
        for (Block.RollupEntry e : entries) {
            if (out == null) {
                out = new BitWriter(TARGET_BYTES * 2);
                previous = null;
            }
            write(out, e.buckets(), previous, step);
            previous = e.buckets();
            sizes[groups]++;
            if (out.bitLength() >= TARGET_BYTES * 8L) {
                payloads.add(out.toByteArray());
                groups++;
                out = null;
            }
        }
        if (out != null) {
            payloads.add(out.toByteArray());
            groups++;
        }
        return Arrays.copyOf(sizes, groups);
    }
}
