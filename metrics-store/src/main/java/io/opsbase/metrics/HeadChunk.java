package io.opsbase.metrics;

/**
 * The open, in-memory chunk of one series in one time window, compressed as samples arrive:
 * per sample a delta-of-delta timestamp ({@link BitWriter#writeSigned}) then the value's
 * {@link XorCoder} bits, interleaved. The first timestamp is 64 raw bits.
 *
 * <p>Invariant: timestamps strictly increase (the series' reorder buffer guarantees it).
 * Not thread-safe; {@link HeadSeries} guards it.
 */
final class HeadChunk {

    private final BitWriter out = new BitWriter(256);
    private final XorCoder values = new XorCoder();
    private int count;
    private long prevT;
    private long prevDelta;

    void append(long t, double v) {
        if (count == 0) {
            out.write(t, 64);
        } else {
            long delta = t - prevT;
            out.writeSigned(delta - prevDelta);
            prevDelta = delta;
        }
        prevT = t;
        values.write(out, Double.doubleToRawLongBits(v));
        count++;
    }

    int count() {
        return count;
    }

    void decodeInto(SampleBuffer into) {
        BitReader in = new BitReader(out.toByteArray());
        XorCoder decoder = new XorCoder();
        long t = 0;
        long delta = 0;
        for (int i = 0; i < count; i++) {
            if (i == 0) {
                t = in.read(64);
            } else {
                delta += in.readSigned();
                t += delta;
            }
            into.add(t, Double.longBitsToDouble(decoder.read(in)));
        }
    }
}
