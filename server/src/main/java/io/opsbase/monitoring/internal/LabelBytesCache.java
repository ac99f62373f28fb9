package io.opsbase.monitoring.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

import io.opsbase.metrics.SeriesId;

/**
 * Remote-write series already validated and resolved, keyed by the exact protobuf bytes of their
 * labels as the sender wrote them. A Prometheus shard writes a series' labels identically in every
 * request, so after the first request a series costs one hash of its label bytes and one lookup:
 * no strings, no maps, no store lookup (Prometheus' own receiver maps series by label hash the
 * same way). Equal bytes always mean equal labels, so a hit is never wrong; two encodings of one
 * label set are merely two entries pointing to the same series. Bounded: past {@code maxEntries}
 * it is emptied and refills.
 *
 * <p>An open-addressing table of parallel arrays (64-bit hash, label bytes, store id) rather than a
 * {@code ConcurrentHashMap} of key objects: a lookup reads the hash array, the stored bytes and the
 * id, instead of following a node, a key object, its bytes, a value record and its id. Lookups take
 * no lock; a slot's bytes and id are written before its hash is published (release/acquire), and a
 * grown or emptied table is published whole. Additions are serialised. Thread-safe.
 */
public final class LabelBytesCache {

    /** A validated series: the CI it belongs to, its store id, and its text for error messages. */
    public record Resolved(long ciId, SeriesId id, String text) {
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SLOT_HASH = MethodHandles.arrayElementVarHandle(long[].class);
    private static final long MIX = 0x9E3779B97F4A7C15L;
    private static final int INITIAL_SLOTS = 1024;

    /** One generation of the table, at most half full; replaced whole when it grows or is emptied. */
    private static final class Table {
        /** 0 marks an empty slot; a hash that comes out 0 is stored as 1. */
        final long[] hashes;
        final byte[][] keys;
        final int[] ids;
        final Resolved[] values;
        final int mask;
        /** Guarded by the cache's lock. */
        int size;

        Table(int slots) {
            hashes = new long[slots];
            keys = new byte[slots][];
            ids = new int[slots];
            values = new Resolved[slots];
            mask = slots - 1;
        }
    }

    private final int maxEntries;
    private volatile Table table = new Table(INITIAL_SLOTS);

    public LabelBytesCache(int maxEntries) {
        this.maxEntries = maxEntries;
    }

    /** The series whose labels are {@code bytes[from, to)}, or null if not seen yet. */
    public Resolved get(byte[] bytes, int from, int to) {
        Table t = table;
        int slot = find(t, bytes, from, to, hash(bytes, from, to));
        return slot < 0 ? null : t.values[slot];
    }

    /** The store id of the series whose labels are {@code bytes[from, to)}, or -1 if not seen yet. */
    public int id(byte[] bytes, int from, int to) {
        Table t = table;
        int slot = find(t, bytes, from, to, hash(bytes, from, to));
        return slot < 0 ? -1 : t.ids[slot];
    }

    /** Remembers a validated series under a copy of its label bytes. */
    public synchronized void put(byte[] bytes, int from, int to, Resolved resolved) {
        long hash = hash(bytes, from, to);
        Table t = table;
        if (find(t, bytes, from, to, hash) >= 0) {
            return;
        }
        if (t.size >= maxEntries) {
            t = new Table(INITIAL_SLOTS);
            table = t;
        } else if ((t.size + 1) * 2L > t.hashes.length) {
            Table grown = new Table(t.hashes.length * 2);
            for (int i = 0; i < t.hashes.length; i++) {
                if (t.hashes[i] != 0) {
                    insert(grown, t.hashes[i], t.keys[i], t.values[i]);
                }
            }
            t = grown;
            table = t;
        }
        insert(t, hash, Arrays.copyOfRange(bytes, from, to), resolved);
    }

    public int size() {
        return table.size;
    }

    private static int find(Table t, byte[] bytes, int from, int to, long hash) {
        int i = (int) hash & t.mask;
        while (true) {
            long stored = (long) SLOT_HASH.getAcquire(t.hashes, i);
            if (stored == 0) {
                return -1;
            }
            if (stored == hash) {
                byte[] key = t.keys[i];
                if (Arrays.equals(key, 0, key.length, bytes, from, to)) {
                    return i;
                }
            }
            i = (i + 1) & t.mask;
        }
    }

    /** Under the lock: the slot's bytes, value and id first, its hash last, so a reader that sees the hash sees them. */
    private static void insert(Table t, long hash, byte[] key, Resolved resolved) {
        int i = (int) hash & t.mask;
        while (t.hashes[i] != 0) {
            i = (i + 1) & t.mask;
        }
        t.keys[i] = key;
        t.values[i] = resolved;
        t.ids[i] = resolved.id().value();
        SLOT_HASH.setRelease(t.hashes, i, hash);
        t.size++;
    }

    /**
     * Eight bytes a step, each word multiplied by an odd 64-bit constant and folded, rather than
     * {@code 31 * h + b} a byte at a time: label bytes run to 50–100 bytes per series and are
     * hashed for every series of every request. Never 0 (the empty slot).
     */
    static long hash(byte[] bytes, int from, int to) {
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
        return h == 0 ? 1 : h;
    }
}
