package io.opsbase.metrics;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The payloads of WAL records (the framing — length and CRC — is {@link WriteAheadLog}'s):
 *
 * <pre>
 * u8 1 | varint id | canonical key, UTF-8, to the end        defines a series
 * u8 2 | varint n (padded to 5 bytes)
 *      | n × (varint id | varint zigzag(t − previous t) | u64 IEEE-754 bits)   accepted samples
 * </pre>
 *
 * The sample count is written after the samples (the head decides which are accepted while the
 * record is built), which is why it is padded to a fixed 5 bytes. Not thread-safe.
 */
final class WalRecords {

    static final byte SERIES = 1;
    static final byte SAMPLES = 2;

    /** What replaying a record does to the store. */
    interface Target {
        void defineSeries(int id, String key);

        void sample(int id, long t, double v);
    }

    private byte[] record = new byte[4096];
    private ByteBuffer out;
    private int countAt;
    private int count;
    private long previous;

    static ByteBuffer series(int id, String key) {
        byte[] text = key.getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(text.length + 6);
        out.put(SERIES);
        putVarint(out, id);
        out.put(text);
        return out;
    }

    /** Starts a samples record with room for {@code capacity} samples; reuses one buffer. */
    void beginSamples(int capacity) {
        int bytes = 6 + capacity * 24;
        if (record.length < bytes) {
            record = new byte[Math.max(bytes, record.length * 2)];
        }
        out = ByteBuffer.wrap(record);
        out.put(SAMPLES);
        countAt = out.position();
        out.position(countAt + 5);
        count = 0;
        previous = 0;
    }

    void addSample(int id, long t, double v) {
        putVarint(out, id);
        long d = t - previous;
        putVarint(out, (d << 1) ^ (d >> 63));
        out.putLong(Double.doubleToRawLongBits(v));
        previous = t;
        count++;
    }

    /** Finishes the record; its bytes are {@link #bytes()} up to the returned length. */
    int finishSamples() {
        int end = out.position();
        out.position(countAt);
        for (int i = 0, v = count; i < 5; i++, v >>>= 7) {
            out.put((byte) (i < 4 ? (v & 0x7F) | 0x80 : v));
        }
        return end;
    }

    int count() {
        return count;
    }

    byte[] bytes() {
        return record;
    }

    static void replay(ByteBuffer in, Target target) {
        byte type = in.get();
        if (type == SERIES) {
            int id = (int) Varint.read(in);
            byte[] key = new byte[in.remaining()];
            in.get(key);
            target.defineSeries(id, new String(key, StandardCharsets.UTF_8));
        } else if (type == SAMPLES) {
            int n = (int) Varint.read(in);
            long t = 0;
            for (int i = 0; i < n; i++) {
                int id = (int) Varint.read(in);
                long z = Varint.read(in);
                t += (z >>> 1) ^ -(z & 1);
                target.sample(id, t, Double.longBitsToDouble(in.getLong()));
            }
        } else {
            throw new CorruptDataException("unknown WAL record type " + type);
        }
    }

    private static void putVarint(ByteBuffer out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.put((byte) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.put((byte) v);
    }
}
