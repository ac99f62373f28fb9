package io.opsbase.monitoring.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

import io.opsbase.metrics.SeriesId;

/**
 * Remote-write series already validated and resolved, keyed by the exact protobuf bytes of their
 * labels as the sender wrote them. A Prometheus shard writes a series' labels identically in every
 * request, so after the first request a series costs one hash of its label bytes and one lookup:
 * no strings, no maps, no store lookup (Prometheus' own receiver maps series by label hash the
 * same way). Equal bytes always mean equal labels, so a hit is never wrong; two encodings of one
 * label set are merely two entries pointing to the same series. Bounded: past {@code maxEntries}
 * it is emptied and refills. Thread-safe.
 */
public final class LabelBytesCache {

    /** A validated series: the CI it belongs to, its store id, and its text for error messages. */
    public record Resolved(long ciId, SeriesId id, String text) {
    }

    private final int maxEntries;
    private final ConcurrentHashMap<Key, Resolved> entries = new ConcurrentHashMap<>();

    public LabelBytesCache(int maxEntries) {
        this.maxEntries = maxEntries;
    }

    /** The series whose labels are {@code bytes[from, to)}, or null if not seen yet. */
    public Resolved get(byte[] bytes, int from, int to) {
        return entries.get(new Key(bytes, from, to));
    }

    /** Remembers a validated series under a copy of its label bytes. */
    public void put(byte[] bytes, int from, int to, Resolved resolved) {
        if (entries.size() >= maxEntries) {
            entries.clear();
        }
        entries.put(new Key(Arrays.copyOfRange(bytes, from, to), 0, to - from), resolved);
    }

    public int size() {
        return entries.size();
    }

    /** A range of a byte array, compared and hashed by content. */
    private static final class Key {
        private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
        private static final long MIX = 0x9E3779B97F4A7C15L;
        private final byte[] bytes;
        private final int from;
        private final int to;
        private final int hash;

        Key(byte[] bytes, int from, int to) {
            this.bytes = bytes;
            this.from = from;
            this.to = to;
            this.hash = hash(bytes, from, to);
        }

        /**
         * Eight bytes a step, each word multiplied by an odd 64-bit constant and folded, rather
         * than {@code 31 * h + b} a byte at a time: label bytes run to 50–100 bytes per series and
         * are hashed for every series of every request.
         */
        static int hash(byte[] bytes, int from, int to) {
            long h = (to - from) * MIX;
            int i = from;
            for (; i + 8 <= to; i += 8) {
                h = (h ^ (long) LONGS.get(bytes, i)) * MIX;
                h ^= h >>> 31;
            }
            long tail = 0;
            for (int shift = 0; i < to; i++, shift += 8) {
                tail |= (bytes[i] & 0xFFL) << shift;
            }
            h = (h ^ tail) * MIX;
            h ^= h >>> 29;
            return (int) (h ^ (h >>> 32));
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.hash == hash && Arrays.equals(bytes, from, to, k.bytes, k.from, k.to);
        }
    }
}
