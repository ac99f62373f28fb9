package io.opsbase.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class EncodingPropertiesTest {

    private static final double[] SPECIALS = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0,
            Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, Double.longBitsToDouble(0x7ff8dead00000001L)};

    @Property(tries = 300)
    void bitStreamsReadBackEveryWidthAndSignedValue(@ForAll("longs") long[] values) {
        BitWriter out = new BitWriter();
        for (int i = 0; i < values.length; i++) {
            out.write(values[i], i % 65);
            out.writeSigned(values[i] >> (i % 64));
        }
        BitReader in = new BitReader(out.toByteArray());
        for (int i = 0; i < values.length; i++) {
            int width = i % 65;
            long expected = width == 0 ? 0 : width == 64 ? values[i] : values[i] & ((1L << width) - 1);
            assertThat(in.read(width)).isEqualTo(expected);
            assertThat(in.readSigned()).isEqualTo(values[i] >> (i % 64));
        }
    }

    @Property(tries = 300)
    void riceCodesReadBackForEveryParameter(@ForAll("longs") long[] values) {
        BitWriter out = new BitWriter();
        for (int i = 0; i < values.length; i++) {
            out.write(i & 1, i % 3);
            out.writeRice(values[i] >>> (i % 64), i % 63);
        }
        BitReader in = new BitReader(out.toByteArray());
        for (int i = 0; i < values.length; i++) {
            assertThat(in.read(i % 3)).isEqualTo(i % 3 == 0 ? 0 : i & 1);
            assertThat(in.readRice(i % 63)).isEqualTo(values[i] >>> (i % 64));
        }
    }

    @Provide
    Arbitrary<long[]> longs() {
        return Arbitraries.longs().array(long[].class).ofMaxSize(300);
    }

    @Property(tries = 300)
    void sealedChunksRoundTripBitForBit(@ForAll("series") Samples s) {
        byte[] bytes = Block.encodeSamples(s.timestamps(), s.values(), s.size());
        assertThat(Block.decodeInline(bytes, s.size())).isEqualTo(s);
    }

    @Property(tries = 300)
    void headChunksRoundTripBitForBit(@ForAll("series") Samples s) {
        HeadChunk chunk = new HeadChunk();
        for (int i = 0; i < s.size(); i++) {
            chunk.append(s.timestamps()[i], s.values()[i]);
        }
        SampleBuffer out = new SampleBuffer(4);
        chunk.decodeInto(out);
        assertThat(out.toSamples()).isEqualTo(s);
    }

    @Property(tries = 200)
    void rollupBucketsRoundTripAndEqualBruteForce(@ForAll("series") Samples s, @ForAll("steps") long step) {
        Bucket[] buckets = Bucket.aggregate(s.timestamps(), s.values(), s.size(), step);
        assertThat(Arrays.asList(buckets)).isEqualTo(BruteForce.buckets(s.timestamps(), s.values(), step));
        long base = s.size() == 0 ? 0 : s.timestamps()[0] - 123_456_789L;
        assertThat(Arrays.asList(BucketCodec.decode(Version2Rollups.encode(buckets, step, base), buckets.length, step, base)))
                .isEqualTo(Arrays.asList(buckets));
    }

    @Property(tries = 300)
    void decimalRollupsRoundTripThroughTheJointCodings(@ForAll("decimalSeries") Samples s, @ForAll("steps") long step) {
        Bucket[] buckets = Bucket.aggregate(s.timestamps(), s.values(), s.size(), step);
        long base = s.size() == 0 ? 0 : Math.floorDiv(s.timestamps()[0], step) * step;
        assertThat(Arrays.asList(BucketCodec.decode(Version2Rollups.encode(buckets, step, base), buckets.length, step, base)))
                .isEqualTo(Arrays.asList(buckets));
    }

    @Example
    void aSumJustBelowZeroRoundTripsThoughItsCorrectionCrossesTheSignBit() {
        // 0.9 + 0.7 - 1.6 sums to -1.1e-16: it scales to 0, and the correction from 0.0's bits to the
        // sum's is a zig-zagged number of 2^63 or more, which Rice coding must escape, not truncate.
        long[] ts = {1_700_000_000_000L, 1_700_000_010_000L, 1_700_000_020_000L};
        double[] vs = {0.9, 0.7, -1.6};
        Bucket[] buckets = Bucket.aggregate(ts, vs, 3, 60_000);
        assertThat(buckets[0].sum()).isNegative();
        long base = Math.floorDiv(ts[0], 60_000L) * 60_000L;
        assertThat(Arrays.asList(BucketCodec.decode(Version2Rollups.encode(buckets, 60_000, base), 1, 60_000, base)))
                .isEqualTo(Arrays.asList(buckets));
        BitWriter out = new BitWriter();
        out.writeRice(-3L, 0);
        out.writeRice(Long.MIN_VALUE, 0);
        BitReader in = new BitReader(out.toByteArray());
        assertThat(in.readRice(0)).isEqualTo(-3L);
        assertThat(in.readRice(0)).isEqualTo(Long.MIN_VALUE);
    }

    @Example
    void gaugeBucketsWithSumsOffTheDecimalGridRoundTripInFewBytes() {
        // 0.1 + 0.2 sums to 0.30000000000000004: the sum is not a 1-decimal number, the other
        // aggregates are; the joint coding still applies, with a per-bucket correction.
        int n = 1440 * 12;
        long[] ts = new long[n];
        double[] vs = new double[n];
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        long m = 10;
        for (int i = 0; i < n; i++) {
            ts[i] = 1_700_000_000_000L + i * 5_000L;
            m = Math.max(0, m + random.nextInt(-3, 4));
            vs[i] = m / 10.0;
        }
        Bucket[] buckets = Bucket.aggregate(ts, vs, n, 60_000);
        long base = Math.floorDiv(ts[0], 86_400_000L) * 86_400_000L;
        byte[] encoded = Version2Rollups.encode(buckets, 60_000, base);
        assertThat(Arrays.stream(buckets).filter(b -> !b.equals(new Bucket(b.start(), b.first(), b.last(), b.min(), b.max(),
                Math.round(b.sum() * 10) / 10.0, b.count()))).count()).as("buckets whose sum is off the grid").isPositive();
        assertThat(Arrays.asList(BucketCodec.decode(encoded, buckets.length, 60_000, base))).isEqualTo(Arrays.asList(buckets));
        assertThat((double) encoded.length / buckets.length).as("bytes per bucket").isLessThan(6);
    }

    @Property(tries = 200)
    void mergingAdjacentBucketsEqualsAggregatingTheirSamples(@ForAll("series") Samples s) {
        long fine = 60_000;
        long coarse = 300_000;
        Bucket[] small = Bucket.aggregate(s.timestamps(), s.values(), s.size(), fine);
        List<Bucket> merged = new java.util.ArrayList<>();
        for (Bucket b : small) {
            long start = Math.floorDiv(b.start(), coarse) * coarse;
            if (!merged.isEmpty() && merged.getLast().start() == start) {
                merged.set(merged.size() - 1, merged.getLast().merge(b));
            } else {
                merged.add(new Bucket(start, b.first(), b.last(), b.min(), b.max(), b.sum(), b.count()));
            }
        }
        List<Bucket> direct = List.of(Bucket.aggregate(s.timestamps(), s.values(), s.size(), coarse));
        assertThat(merged).hasSameSizeAs(direct);
        for (int i = 0; i < merged.size(); i++) {
            Bucket a = merged.get(i);
            Bucket b = direct.get(i);
            // first, last, min, max and count merge exactly; a sum merges exactly up to float rounding order,
            // which is why stored rollups are aggregated from raw samples, never from finer buckets.
            assertThat(List.of(a.start(), a.first(), a.last(), a.min(), a.max(), a.count()))
                    .isEqualTo(List.of(b.start(), b.first(), b.last(), b.min(), b.max(), b.count()));
        }
    }

    private static List<Double> specials() {
        return Arrays.stream(SPECIALS).boxed().toList();
    }

    @Provide
    Arbitrary<Long> steps() {
        return Arbitraries.of(1_000L, 60_000L, 300_000L, 3_600_000L);
    }

    @Provide
    Arbitrary<Samples> series() {
        Arbitrary<Long> start = Arbitraries.longs().between(-1L << 50, 1L << 50);
        Arbitrary<long[]> gaps = Arbitraries.oneOf(
                Arbitraries.just(10_000L),
                Arbitraries.longs().between(1, 20_000),
                Arbitraries.longs().between(1, 1L << 40),
                Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(20, Arbitraries.just(5_000L)),
                        net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(1, 1L << 45))))
                .array(long[].class).ofMinSize(0).ofMaxSize(400);
        Arbitrary<double[]> values = Arbitraries.oneOf(
                constantRuns(), counters(), decimals(), anyDoubles());
        return Combinators.combine(start, gaps, values).as((t0, g, v) -> {
            int n = Math.min(g.length, v.length);
            long[] ts = new long[n];
            long t = t0;
            for (int i = 0; i < n; i++) {
                ts[i] = t;
                t += g[i];
            }
            return new Samples(ts, Arrays.copyOf(v, n));
        });
    }

    /** Irregular timestamps (so counts vary and buckets have gaps), values with 0 to 6 decimals. */
    @Provide
    Arbitrary<Samples> decimalSeries() {
        Arbitrary<long[]> gaps = Arbitraries.oneOf(Arbitraries.longs().between(1, 20_000),
                Arbitraries.longs().between(1, 10_000_000)).array(long[].class).ofMinSize(0).ofMaxSize(400);
        Arbitrary<long[]> integers = Arbitraries.oneOf(Arbitraries.longs().between(-1000, 1000),
                Arbitraries.longs().between(-1L << 52, 1L << 52)).array(long[].class).ofMaxSize(400);
        return Combinators.combine(gaps, integers, Arbitraries.integers().between(0, 6)).as((g, m, k) -> {
            int n = Math.min(g.length, m.length);
            long[] ts = new long[n];
            double[] vs = new double[n];
            long t = 1_700_000_000_000L;
            for (int i = 0; i < n; i++) {
                ts[i] = t;
                t += g[i];
                vs[i] = m[i] / Math.pow(10, k);
            }
            return new Samples(ts, vs);
        });
    }

    private Arbitrary<double[]> anyDoubles() {
        return Arbitraries.oneOf(Arbitraries.doubles(), Arbitraries.of(specials()),
                Arbitraries.longs().map(Double::longBitsToDouble)).array(double[].class).ofMaxSize(400);
    }

    private Arbitrary<double[]> decimals() {
        return Arbitraries.longs().between(-1_000_000_000L, 1_000_000_000L).map(m -> m / 1000.0)
                .array(double[].class).ofMaxSize(400);
    }

    private Arbitrary<double[]> constantRuns() {
        return Combinators.combine(Arbitraries.of(specials()), Arbitraries.doubles(), Arbitraries.integers().between(0, 400))
                .as((a, b, n) -> {
                    double[] v = new double[n];
                    for (int i = 0; i < n; i++) {
                        v[i] = (i / 50) % 2 == 0 ? a : b;
                    }
                    return v;
                });
    }

    /** Monotonic counters that reset to zero now and then. */
    private Arbitrary<double[]> counters() {
        return Combinators.combine(Arbitraries.longs().between(0, 1000).array(long[].class).ofMaxSize(400),
                Arbitraries.integers().between(5, 100)).as((increments, resetEvery) -> {
                    double[] v = new double[increments.length];
                    double c = 0;
                    for (int i = 0; i < v.length; i++) {
                        c = i % resetEvery == 0 ? 0 : c + increments[i] * 0.01;
                        v[i] = c;
                    }
                    return v;
                });
    }
}
