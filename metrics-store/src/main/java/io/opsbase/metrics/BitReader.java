package io.opsbase.metrics;

/** Reads what {@link BitWriter} wrote. Reading past the end is a {@link CorruptDataException}. Not thread-safe. */
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
        if (n > 32) {
            long hi = read(n - 32);
            return (hi << 32) | read(32);
        }
        if (pos + n > limitBits) {
            throw new CorruptDataException("bit stream ends early");
        }
        long r = 0;
        while (n > 0) {
            int index = (int) (pos >>> 3);
            int avail = 8 - (int) (pos & 7);
            int take = Math.min(avail, n);
            int bits = ((buf[index] & 0xFF) >>> (avail - take)) & ((1 << take) - 1);
            r = (r << take) | bits;
            n -= take;
            pos += take;
        }
        return r;
    }

    long readSigned() {
        long z;
        if (!readBit()) {
            return 0;
        } else if (!readBit()) {
            z = read(6);
        } else if (!readBit()) {
            z = read(13);
        } else if (!readBit()) {
            z = read(20);
        } else if (!readBit()) {
            z = read(32);
        } else {
            z = read(64);
        }
        return (z >>> 1) ^ -(z & 1);
    }
}
