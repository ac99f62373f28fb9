package io.opsbase.metrics;

import java.util.Arrays;

/** Writes bit strings most-significant bit first. Not thread-safe. */
final class BitWriter {

    private byte[] buf;
    private int bytes;
    private long acc;
    private int accBits;

    BitWriter(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    BitWriter() {
        this(64);
    }

    void writeBit(boolean bit) {
        write(bit ? 1 : 0, 1);
    }

    /** Writes the low {@code n} bits of {@code value}, 0 ≤ n ≤ 64. */
    void write(long value, int n) {
        if (n > 32) {
            write(value >>> 32, n - 32);
            n = 32;
        }
        if (n == 0) {
            return;
        }
        acc = (acc << n) | (value & ((1L << n) - 1));
        accBits += n;
        while (accBits >= 8) {
            accBits -= 8;
            if (bytes == buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
            buf[bytes++] = (byte) (acc >>> accBits);
        }
    }

    /** Appends every bit {@code other} holds. */
    void append(BitWriter other) {
        for (int i = 0; i < other.bytes; i++) {
            write(other.buf[i], 8);
        }
        write(other.acc, other.accBits);
    }

    long bitLength() {
        return bytes * 8L + accBits;
    }

    /** The bits written so far, the last byte padded with zeros; the writer can go on writing. */
    byte[] toByteArray() {
        byte[] out = Arrays.copyOf(buf, accBits == 0 ? bytes : bytes + 1);
        if (accBits > 0) {
            out[bytes] = (byte) (acc << (8 - accBits));
        }
        return out;
    }

    /** Zig-zag signed integer in a prefix-coded bucket; 0 costs one bit. z is compared unsigned. */
    void writeSigned(long v) {
        long z = (v << 1) ^ (v >> 63);
        if (z == 0) {
            write(0, 1);
        } else if (z >>> 6 == 0) {
            write(0b10, 2);
            write(z, 6);
        } else if (z >>> 13 == 0) {
            write(0b110, 3);
            write(z, 13);
        } else if (z >>> 20 == 0) {
            write(0b1110, 4);
            write(z, 20);
        } else if (z >>> 32 == 0) {
            write(0b11110, 5);
            write(z, 32);
        } else {
            write(0b11111, 5);
            write(z, 64);
        }
    }

    /**
     * Golomb-Rice code of the unsigned {@code z} with parameter {@code p} (0 ≤ p ≤ 62):
     * q = z >>> p as q one-bits and a zero, then the low p bits. A quotient of
     * {@link #RICE_ESCAPE} or more is written as {@code RICE_ESCAPE} one-bits and z in 64 bits.
     */
    void writeRice(long z, int p) {
        long q = z >>> p; // z is unsigned: for p = 0 a z of 2^63 or more is a negative q, and escapes
        if (q >= 0 && q < RICE_ESCAPE) {
            write((1L << (q + 1)) - 2, (int) q + 1);
            write(z, p);
        } else {
            write((1L << RICE_ESCAPE) - 1, RICE_ESCAPE);
            write(z, 64);
        }
    }

    /** Bits {@link #writeRice} takes for {@code z} with parameter {@code p}. */
    static int riceBits(long z, int p) {
        long q = z >>> p;
        return q >= 0 && q < RICE_ESCAPE ? (int) q + 1 + p : RICE_ESCAPE + 64;
    }

    static final int RICE_ESCAPE = 24;
}
