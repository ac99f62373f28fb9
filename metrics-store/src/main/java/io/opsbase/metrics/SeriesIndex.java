package io.opsbase.metrics;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Maps series keys to dense int ids and back, in about (key bytes + 16) bytes of heap per series:
 * every canonical key's UTF-8 bytes sit in one growing byte arena, {@code offsets[id]} points into
 * it, and an open-addressing table of ids (load factor at most 1/2) finds a key by hash without
 * a single object per series. One million series with 60-byte keys fit in about 80 MB.
 *
 * <p>File {@code series.idx}: records back to back, the n-th record defining id n:
 * {@code u32 length | u32 crc32c(key bytes) | key bytes (canonical UTF-8)}, big-endian. A record
 * whose length runs past the end of the file or whose CRC fails is a torn tail: loading stops
 * there and the file is truncated to the last whole record. Records are only ever appended.
 *
 * <p>Thread-safe: every method is synchronized; lookups are short.
 */
final class SeriesIndex {

    static final String FILE = "series.idx";

    private byte[] arena = new byte[1 << 16];
    private int arenaUsed;
    private int[] offsets = new int[1024];
    private int[] hashes = new int[1024];
    private int[] table = emptyTable(2048);
    private int size;
    private int persisted;

    private static int[] emptyTable(int capacity) {
        int[] t = new int[capacity];
        Arrays.fill(t, -1);
        return t;
    }

    synchronized int size() {
        return size;
    }

    /** Returns the id for {@code key}, or -1 if the key is unknown. */
    synchronized int find(SeriesKey key) {
        byte[] bytes = key.format().getBytes(StandardCharsets.UTF_8);
        return find(bytes, hash(bytes));
    }

    /** Returns the id for {@code key}, assigning the next id if the key is new. */
    synchronized int getOrAdd(SeriesKey key) {
        byte[] bytes = key.format().getBytes(StandardCharsets.UTF_8);
        int h = hash(bytes);
        int id = find(bytes, h);
        return id >= 0 ? id : add(bytes, h);
    }

    synchronized SeriesKey key(int id) {
        return SeriesKey.parse(text(id));
    }

    synchronized String text(int id) {
        if (id < 0 || id >= size) {
            throw new IllegalArgumentException("unknown series id " + id);
        }
        return new String(arena, offsets[id], length(id), StandardCharsets.UTF_8);
    }

    /** Arena, offsets, hashes and table: what the index holds on the heap. */
    synchronized long heapBytes() {
        return arena.length + 4L * offsets.length + 4L * hashes.length + 4L * table.length;
    }

    private int length(int id) {
        return (id + 1 < size ? offsets[id + 1] : arenaUsed) - offsets[id];
    }

    private int find(byte[] bytes, int h) {
        int mask = table.length - 1;
        for (int slot = h & mask; ; slot = (slot + 1) & mask) {
            int id = table[slot];
            if (id < 0) {
                return -1;
            }
            if (hashes[id] == h && Arrays.equals(arena, offsets[id], offsets[id] + length(id), bytes, 0, bytes.length)) {
                return id;
            }
        }
    }

    /** Adds a key known to be absent, as id {@code size}. */
    private int add(byte[] bytes, int h) {
        int id = size;
        if (id == offsets.length) {
            offsets = Arrays.copyOf(offsets, id * 2);
            hashes = Arrays.copyOf(hashes, id * 2);
        }
        if (arenaUsed + bytes.length > arena.length) {
            arena = Arrays.copyOf(arena, Math.max(arena.length * 2, arenaUsed + bytes.length));
        }
        System.arraycopy(bytes, 0, arena, arenaUsed, bytes.length);
        offsets[id] = arenaUsed;
        hashes[id] = h;
        arenaUsed += bytes.length;
        size++;
        if (size * 2 > table.length) {
            rehash(table.length * 2);
        } else {
            insert(id);
        }
        return id;
    }

    private void rehash(int capacity) {
        table = emptyTable(capacity);
        for (int id = 0; id < size; id++) {
            insert(id);
        }
    }

    private void insert(int id) {
        int mask = table.length - 1;
        int slot = hashes[id] & mask;
        while (table[slot] >= 0) {
            slot = (slot + 1) & mask;
        }
        table[slot] = id;
    }

    private static int hash(byte[] bytes) {
        int h = Arrays.hashCode(bytes);
        return h ^ (h >>> 16) * 0x45d9f3b;
    }

    /**
     * Registers {@code text} as id {@code id} during WAL replay; replay defines ids in order, so an
     * id already known must carry the same key.
     */
    synchronized void define(int id, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (id < size) {
            if (!text(id).equals(text)) {
                throw new IllegalStateException("series id " + id + " is " + text(id) + ", WAL says " + text);
            }
            return;
        }
        if (id != size) {
            throw new IllegalStateException("series id " + id + " defined before id " + size);
        }
        add(bytes, hash(bytes));
    }

    /** Appends the series added since the last call to {@code series.idx} and syncs it. */
    synchronized void persist(Disk disk, Path dir) throws IOException {
        if (persisted == size) {
            return;
        }
        int bytes = 0;
        for (int id = persisted; id < size; id++) {
            bytes += 8 + length(id);
        }
        ByteBuffer out = ByteBuffer.allocate(bytes);
        CRC32C crc = new CRC32C();
        for (int id = persisted; id < size; id++) {
            crc.reset();
            crc.update(arena, offsets[id], length(id));
            out.putInt(length(id)).putInt((int) crc.getValue()).put(arena, offsets[id], length(id));
        }
        out.flip();
        try (Disk.AppendLog log = disk.openAppend(dir.resolve(FILE))) {
            log.write(out);
            log.sync();
        }
        persisted = size;
    }

    /** Loads {@code series.idx}, truncating a torn tail. */
    static SeriesIndex load(Disk disk, Path dir) throws IOException {
        SeriesIndex index = new SeriesIndex();
        Path file = dir.resolve(FILE);
        if (!disk.exists(file)) {
            return index;
        }
        byte[] data = disk.readAll(file);
        ByteBuffer in = ByteBuffer.wrap(data);
        CRC32C crc = new CRC32C();
        while (in.remaining() >= 8) {
            int start = in.position();
            int length = in.getInt();
            int expected = in.getInt();
            if (length < 0 || length > in.remaining()) {
                in.position(start);
                break;
            }
            crc.reset();
            crc.update(data, in.position(), length);
            if ((int) crc.getValue() != expected) {
                in.position(start);
                break;
            }
            byte[] bytes = Arrays.copyOfRange(data, in.position(), in.position() + length);
            in.position(in.position() + length);
            index.add(bytes, hash(bytes));
        }
        if (in.position() < data.length) {
            disk.truncate(file, in.position());
        }
        index.persisted = index.size;
        return index;
    }
}
