package io.opsbase.metrics;

/**
 * Gorilla's XOR value coding (Pelkonen et al., VLDB 2015), on raw IEEE-754 bits so NaN payloads,
 * infinities and -0.0 survive exactly. Per value after the first: {@code 0} = same bits as the
 * previous value; {@code 10} + meaningful bits = XOR fits the previous leading/trailing-zero
 * window; {@code 11} + 5 bits leading zeros + 6 bits (length - 1) + the XOR's meaningful bits.
 * One instance codes one stream, either writing or reading. Not thread-safe.
 */
final class XorCoder {

    private long prev;
    private int lead = -1;
    private int trail;
    private boolean started;

    /** Starts the stream as if {@code bits} had come before, so the first value costs an XOR, not 64 bits. */
    void seed(long bits) {
        prev = bits;
        started = true;
    }

    void write(BitWriter out, long bits) {
        if (!started) {
            out.write(bits, 64);
            prev = bits;
            started = true;
            return;
        }
        long x = bits ^ prev;
        prev = bits;
        if (x == 0) {
            out.write(0, 1);
            return;
        }
        int l = Math.min(Long.numberOfLeadingZeros(x), 31);
        int t = Long.numberOfTrailingZeros(x);
        if (lead >= 0 && l >= lead && t >= trail) {
            out.write(0b10, 2);
            out.write(x >>> trail, 64 - lead - trail);
        } else {
            int length = 64 - l - t;
            out.write(0b11, 2);
            out.write(l, 5);
            out.write(length - 1, 6);
            out.write(x >>> t, length);
            lead = l;
            trail = t;
        }
    }

    long read(BitReader in) {
        if (!started) {
            prev = in.read(64);
            started = true;
            return prev;
        }
        if (!in.readBit()) {
            return prev;
        }
        if (in.readBit()) {
            lead = (int) in.read(5);
            int length = (int) in.read(6) + 1;
            trail = 64 - lead - length;
            if (trail < 0) {
                throw new CorruptDataException("XOR window out of range");
            }
        } else if (lead < 0) {
            throw new CorruptDataException("XOR window reused before defined");
        }
        prev ^= in.read(64 - lead - trail) << trail;
        return prev;
    }
}
