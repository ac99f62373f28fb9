package io.opsbase.metrics;

/**
 * Reads what {@link BitWriter} wrote, taking up to 56 bits at once from a big-endian 64-bit
 * window. Reading past the end is a {@link CorruptDataException}. Not thread-safe.
 */
final class BitReader {

    private final byte[] buf;
    private final long limitBits;
    private long pos;

    BitReader(byte[] buf) {
        this(buf, 0);
    }

    BitReader(byte[] buf, int startByte) {
        this.buf = buf;
        this.pos = startByte * 8L;
        this.limitBits = buf.length * 8L;
    }

    boolean readBit() {
        return read(1) != 0;
    }

    long read(int n) {
        if (n > 56) {
            long hi = read(n - 32);
            return (hi << 32) | read(32);
        }
        if (n == 0) {
            return 0;
        }
        if (pos + n > limitBits) {
            throw new CorruptDataException("bit stream ends early");
        }
        long r = (window() << (pos & 7)) >>> (64 - n);
        pos += n;
        return r;
    }

    /** The 8 bytes from the current byte on, zero past the end of the buffer. */
    private long window() {
        int i = (int) (pos >>> 3);
        if (i + 8 <= buf.length) {
            // Plain shifts rather than a VarHandle view: cold queries run interpreted, where a
            // VarHandle call costs far more than eight array loads.
            return ((long) (buf[i] & 0xFF) << 56) | ((long) (buf[i + 1] & 0xFF) << 48)
                    | ((long) (buf[i + 2] & 0xFF) << 40) | ((long) (buf[i + 3] & 0xFF) << 32)
                    | ((long) (buf[i + 4] & 0xFF) << 24) | ((buf[i + 5] & 0xFF) << 16)
                    | ((buf[i + 6] & 0xFF) << 8) | (buf[i + 7] & 0xFF);
        }
        long w = 0;
        for (int k = 0; k < 8; k++) {
            w = (w << 8) | (i + k < buf.length ? buf[i + k] & 0xFF : 0);
        }
        return w;
    }

    long readSigned() {
        if (pos >= limitBits) {
            throw new CorruptDataException("bit stream ends early");
        }
        int top5 = (int) ((window() << (pos & 7)) >>> 59);
        int ones = Math.min(5, Integer.numberOfLeadingZeros(~(top5 << 27)));
        int prefix = ones < 5 ? ones + 1 : 5;
        if (pos + prefix > limitBits) {
            throw new CorruptDataException("bit stream ends early");
        }
        pos += prefix;
        long z = switch (ones) {
            case 0 -> 0;
            case 1 -> read(6);
            case 2 -> read(13);
            case 3 -> read(20);
            case 4 -> read(32);
            default -> read(64);
        };
        return (z >>> 1) ^ -(z & 1);
    }

    /**
     * Reads what {@link BitWriter#writeRice} wrote with the same parameter. The unary quotient is
     * counted from the 64-bit window in one step (at least 57 valid bits), not bit by bit.
     */
    long readRice(int p) {
        if (pos >= limitBits) {
            throw new CorruptDataException("bit stream ends early");
        }
        long w = window() << (pos & 7);
        int q = Long.numberOfLeadingZeros(~w);
        if (q >= BitWriter.RICE_ESCAPE) {
            pos += BitWriter.RICE_ESCAPE;
            return read(64);
        }
        int bits = q + 1 + p;
        if (bits <= 57 && p > 0) {
            // The quotient and the remainder both lie in this window (57 valid bits at least):
            // one window per number, not two — cold queries decode ~10^5 of these interpreted.
            if (pos + bits > limitBits) {
                throw new CorruptDataException("bit stream ends early");
            }
            pos += bits;
            return ((w << (q + 1)) >>> (64 - p)) | ((long) q << p);
        }
        if (pos + q + 1 > limitBits) {
            throw new CorruptDataException("bit stream ends early");
        }
        pos += q + 1;
        return read(p) | ((long) q << p);
    }
}
