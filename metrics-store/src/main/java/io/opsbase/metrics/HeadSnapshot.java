package io.opsbase.metrics;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * {@code head.snap}: the unsealed samples at the end of a checkpoint, so older WAL segments can be
 * deleted. Written whole through {@link Disk#writeAtomically}. Layout, big-endian:
 *
 * <pre>
 * u32 magic "OPHS" | u8 version=2 | i64 generation | i64 walSegment (first segment to replay)
 * | i64 sealedUntil | i64 newest | varint seriesCount
 * | per series: varint id | varint count | varint payloadLength | payload ({@link Block#encodeSamples})
 * | varint fileCount | per block file: varint nameLength | name (UTF-8, relative to the store
 *   directory, e.g. "rollup-60000/1700006400000.blk") | i64 windowStart | i64 windowEnd
 * | u32 crc32c(everything before)
 * </pre>
 *
 * {@code generation} is the checkpoint that wrote it. The file list names every block file of the
 * store as of that checkpoint: at open, any other block file belongs to a checkpoint that never
 * finished (or was merged or expired by one that did) and is deleted, and the listed ones are
 * opened only when first used.
 */
record HeadSnapshot(long generation, long walSegment, long sealedUntil, long newest, Map<Integer, Samples> series,
                    List<SealedFile> files) {

    /** One block file of the store, by name and window. */
    record SealedFile(String name, long windowStart, long windowEnd) {
    }

    static final String FILE = "head.snap";
    private static final int MAGIC = 0x4F504853;
    private static final int VERSION = 2;

    static HeadSnapshot empty() {
        return new HeadSnapshot(0, 0, Long.MIN_VALUE, Long.MIN_VALUE, Map.of(), List.of());
    }

    void write(Disk disk, Path dir) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Varint.writeInt(out, MAGIC);
        out.write(VERSION);
        Varint.writeLong(out, generation);
        Varint.writeLong(out, walSegment);
        Varint.writeLong(out, sealedUntil);
        Varint.writeLong(out, newest);
        Varint.write(out, series.size());
        for (Map.Entry<Integer, Samples> e : series.entrySet()) {
            Samples s = e.getValue();
            byte[] payload = Block.encodeSamples(s.timestamps(), s.values(), s.size());
            Varint.write(out, e.getKey());
            Varint.write(out, s.size());
            Varint.write(out, payload.length);
            out.write(payload);
        }
        Varint.write(out, files.size());
        for (SealedFile f : files) {
            byte[] name = f.name().getBytes(StandardCharsets.UTF_8);
            Varint.write(out, name.length);
            out.write(name);
            Varint.writeLong(out, f.windowStart());
            Varint.writeLong(out, f.windowEnd());
        }
        CRC32C crc = new CRC32C();
        crc.update(out.toByteArray());
        Varint.writeInt(out, (int) crc.getValue());
        disk.writeAtomically(dir.resolve(FILE), out.toByteArray());
    }

    static HeadSnapshot read(Disk disk, Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        if (!disk.exists(file)) {
            return empty();
        }
        byte[] data = disk.readAll(file);
        CRC32C crc = new CRC32C();
        crc.update(data, 0, Math.max(0, data.length - 4));
        ByteBuffer in = ByteBuffer.wrap(data);
        if (data.length < 41 || in.getInt(data.length - 4) != (int) crc.getValue() || in.getInt() != MAGIC || in.get() != VERSION) {
            throw new CorruptDataException(file + ": checksum mismatch; the head cannot be recovered safely");
        }
        long generation = in.getLong();
        long walSegment = in.getLong();
        long sealedUntil = in.getLong();
        long newest = in.getLong();
        int n = (int) Varint.read(in);
        Map<Integer, Samples> series = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            int id = (int) Varint.read(in);
            int count = (int) Varint.read(in);
            byte[] payload = new byte[(int) Varint.read(in)];
            in.get(payload);
            series.put(id, Block.decodeInline(payload, count));
        }
        int fileCount = (int) Varint.read(in);
        List<SealedFile> files = new ArrayList<>(fileCount);
        for (int i = 0; i < fileCount; i++) {
            byte[] name = new byte[(int) Varint.read(in)];
            in.get(name);
            files.add(new SealedFile(new String(name, StandardCharsets.UTF_8), in.getLong(), in.getLong()));
        }
        return new HeadSnapshot(generation, walSegment, sealedUntil, newest, series, files);
    }
}
