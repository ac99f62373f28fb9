package io.opsbase.metrics;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.ref.SoftReference;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * An immutable block file: the sealed data of many series for one time window, either raw chunks
 * ({@code kind} 0, see {@link #encodeSamples}) or rollup buckets ({@code kind} 1,
 * {@link BucketCodec}). Layout, integers big-endian:
 *
 * <pre>
 * header  (40 bytes)  u32 magic "OPSM" | u8 version=2 | u8 kind | u16 0
 *                     | i64 resolutionMs (0 for raw) | i64 windowStart | i64 windowEnd | i64 generation
 * payloads            one per series, back to back, ascending series id
 * index               varint entries, then per entry: varint (seriesId - previous id)
 *                     | either varint 0 (minT, maxT and count as in the previous entry)
 *                       or varint (minT - windowStart + 1) | varint (maxT - minT) | varint count
 *                     | varint payloadLength | u32 crc32c(payload)
 * footer  (12 bytes)  u32 indexLength | u32 crc32c(header ‖ index) | u32 magic "OPSM"
 * </pre>
 *
 * Payload offsets are implicit: 40 plus the lengths before. Opening checks the footer, header and
 * index; reading a payload checks its CRC. Either failing is a {@link CorruptDataException}: a block
 * is never read as data past a bad checksum. Files are written whole through
 * {@link Disk#writeAtomically}, so a crash leaves no half block under the final name.
 *
 * <p>Thread-safe: immutable after {@link #open} but for a cache of decoded rollup buckets.
 */
final class Block {

    static final int MAGIC = 0x4F50534D;
    static final int VERSION = 2;
    static final int HEADER = 40;
    static final int FOOTER = 12;
    /** Bytes read from the end of a file at open: small files are read whole in one call. */
    private static final int OPEN_READ = 64 * 1024;
    static final int RAW = 0;
    static final int ROLLUP = 1;

    final Path path;
    final int kind;
    final long resolution;
    final long windowStart;
    final long windowEnd;
    final long generation;
    final long fileBytes;
    private final int[] ids;
    private final long[] minT;
    private final long[] maxT;
    private final int[] counts;
    private final long[] offsets;
    private final int[] lengths;
    private final int[] crcs;
    private volatile SoftReference<Bucket[]>[] bucketCache;
    /**
     * A small file read whole at open, kept (softly) so the first payload reads of a cold query
     * need no second read of the file. The bytes are immutable; CRCs are still checked per payload.
     */
    private volatile SoftReference<byte[]> wholeFile;

    /** One series' payload to write. */
    record Entry(int seriesId, long minT, long maxT, int count, byte[] payload) {
    }

    private Block(Path path, int kind, long resolution, long windowStart, long windowEnd, long generation,
                  long fileBytes, int n) {
        this.path = path;
        this.kind = kind;
        this.resolution = resolution;
        this.windowStart = windowStart;
        this.windowEnd = windowEnd;
        this.generation = generation;
        this.fileBytes = fileBytes;
        ids = new int[n];
        minT = new long[n];
        maxT = new long[n];
        counts = new int[n];
        offsets = new long[n];
        lengths = new int[n];
        crcs = new int[n];
    }

    /** Writes a block; {@code entries} must be in ascending series id order. */
    static Block write(Disk disk, Path path, int kind, long resolution, long windowStart, long windowEnd,
                       long generation, List<Entry> entries) throws IOException {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        writeHeader(file, kind, resolution, windowStart, windowEnd, generation);
        ByteArrayOutputStream index = new ByteArrayOutputStream();
        Varint.write(index, entries.size());
        int previous = 0;
        Entry before = null;
        CRC32C crc = new CRC32C();
        for (Entry e : entries) {
            file.write(e.payload());
            crc.reset();
            crc.update(e.payload());
            Varint.write(index, e.seriesId() - previous);
            previous = e.seriesId();
            if (before != null && before.minT() == e.minT() && before.maxT() == e.maxT() && before.count() == e.count()) {
                Varint.write(index, 0);
            } else {
                Varint.write(index, e.minT() - windowStart + 1);
                Varint.write(index, e.maxT() - e.minT());
                Varint.write(index, e.count());
            }
            before = e;
            Varint.write(index, e.payload().length);
            Varint.writeInt(index, (int) crc.getValue());
        }
        byte[] indexBytes = index.toByteArray();
        byte[] header = Arrays.copyOf(file.toByteArray(), HEADER);
        file.write(indexBytes);
        crc.reset();
        crc.update(header);
        crc.update(indexBytes);
        Varint.writeInt(file, indexBytes.length);
        Varint.writeInt(file, (int) crc.getValue());
        Varint.writeInt(file, MAGIC);
        byte[] content = file.toByteArray();
        disk.writeAtomically(path, content);
        return parse(path, content.length, header, indexBytes);
    }

    private static void writeHeader(ByteArrayOutputStream out, int kind, long resolution, long windowStart,
                                    long windowEnd, long generation) {
        Varint.writeInt(out, MAGIC);
        out.write(VERSION);
        out.write(kind);
        out.write(0);
        out.write(0);
        Varint.writeLong(out, resolution);
        Varint.writeLong(out, windowStart);
        Varint.writeLong(out, windowEnd);
        Varint.writeLong(out, generation);
    }

    /**
     * Reads and checks the header, index and footer: one read of the whole file when it is small
     * (most rollup files and parts), otherwise the header and a tail that usually holds the index.
     */
    static Block open(Disk disk, Path path) throws IOException {
        long size = disk.size(path);
        if (size < HEADER + FOOTER) {
            throw new CorruptDataException(path + ": " + size + " bytes is too short for a block");
        }
        int tailLength = (int) Math.min(size, OPEN_READ);
        byte[] tail = disk.read(path, size - tailLength, tailLength);
        ByteBuffer footer = ByteBuffer.wrap(tail, tailLength - FOOTER, FOOTER);
        int indexLength = footer.getInt();
        int expected = footer.getInt();
        if (footer.getInt() != MAGIC || indexLength < 0 || indexLength > size - HEADER - FOOTER) {
            throw new CorruptDataException(path + ": bad footer");
        }
        byte[] header = tailLength == size ? Arrays.copyOf(tail, HEADER) : disk.read(path, 0, HEADER);
        byte[] index = indexLength + FOOTER <= tailLength
                ? Arrays.copyOfRange(tail, tailLength - FOOTER - indexLength, tailLength - FOOTER)
                : disk.read(path, size - FOOTER - indexLength, indexLength);
        CRC32C crc = new CRC32C();
        crc.update(header);
        crc.update(index);
        if ((int) crc.getValue() != expected) {
            throw new CorruptDataException(path + ": header or index checksum mismatch");
        }
        Block block = parse(path, size, header, index);
        if (tailLength == size) {
            block.wholeFile = new SoftReference<>(tail);
        }
        return block;
    }

    private static Block parse(Path path, long size, byte[] headerBytes, byte[] indexBytes) {
        ByteBuffer header = ByteBuffer.wrap(headerBytes);
        if (header.getInt() != MAGIC || header.get() != VERSION) {
            throw new CorruptDataException(path + ": not a version " + VERSION + " block");
        }
        int kind = header.get();
        header.getShort();
        long resolution = header.getLong();
        long windowStart = header.getLong();
        long windowEnd = header.getLong();
        long generation = header.getLong();
        ByteBuffer index = ByteBuffer.wrap(indexBytes);
        int n = (int) Varint.read(index);
        Block block = new Block(path, kind, resolution, windowStart, windowEnd, generation, size, n);
        long offset = HEADER;
        int id = 0;
        for (int i = 0; i < n; i++) {
            id += (int) Varint.read(index);
            block.ids[i] = id;
            long start = Varint.read(index);
            if (start == 0) {
                if (i == 0) {
                    throw new CorruptDataException(path + ": first index entry refers to a previous one");
                }
                block.minT[i] = block.minT[i - 1];
                block.maxT[i] = block.maxT[i - 1];
                block.counts[i] = block.counts[i - 1];
            } else {
                block.minT[i] = windowStart + start - 1;
                block.maxT[i] = block.minT[i] + Varint.read(index);
                block.counts[i] = (int) Varint.read(index);
            }
            block.lengths[i] = (int) Varint.read(index);
            block.crcs[i] = index.getInt();
            block.offsets[i] = offset;
            offset += block.lengths[i];
        }
        return block;
    }

    /** Position of {@code seriesId} in this block, or a negative number. */
    int find(int seriesId) {
        return Arrays.binarySearch(ids, seriesId);
    }

    int entries() {
        return ids.length;
    }

    int seriesId(int entry) {
        return ids[entry];
    }

    int count(int entry) {
        return counts[entry];
    }

    long minT(int entry) {
        return minT[entry];
    }

    long maxT(int entry) {
        return maxT[entry];
    }

    long totalCount() {
        long total = 0;
        for (int c : counts) {
            total += c;
        }
        return total;
    }

    /** The payload of an entry, its CRC verified. */
    byte[] payload(Disk disk, int entry) throws IOException {
        SoftReference<byte[]> whole = wholeFile;
        byte[] file = whole == null ? null : whole.get();
        byte[] bytes = file != null
                ? Arrays.copyOfRange(file, (int) offsets[entry], (int) offsets[entry] + lengths[entry])
                : disk.read(path, offsets[entry], lengths[entry]);
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        if ((int) crc.getValue() != crcs[entry]) {
            throw new CorruptDataException(path + ": checksum mismatch in the data of series " + ids[entry]);
        }
        return bytes;
    }

    Samples samples(Disk disk, int entry) throws IOException {
        BitReader in = new BitReader(payload(disk, entry));
        long[] ts;
        if (in.readBit()) {
            long distance = in.readSigned();
            if (distance <= 0 || distance > entry || counts[(int) (entry - distance)] != counts[entry]) {
                throw new CorruptDataException(path + ": bad timestamp reference in series " + ids[entry]);
            }
            ts = samples(disk, (int) (entry - distance)).timestamps();
        } else {
            ts = ColumnCodec.readTimestamps(in, counts[entry]);
        }
        return new Samples(ts, ColumnCodec.readValues(in, counts[entry]));
    }

    /**
     * The decoded buckets of an entry. Decoded arrays are kept behind soft references (the file
     * is immutable, so they never go stale; the GC reclaims them under memory pressure): graphs ask
     * for the same rollups again and again. Callers must not modify the returned array. Two
     * threads may decode the same entry at once; both results are equal, either may be kept.
     */
    @SuppressWarnings("unchecked")
    Bucket[] buckets(Disk disk, int entry) throws IOException {
        SoftReference<Bucket[]>[] cache = bucketCache;
        if (cache == null) {
            cache = new SoftReference[ids.length];
            bucketCache = cache;
        }
        SoftReference<Bucket[]> ref = cache[entry];
        Bucket[] decoded = ref == null ? null : ref.get();
        if (decoded == null) {
            decoded = BucketCodec.decode(payload(disk, entry), counts[entry], resolution, windowStart);
            cache[entry] = new SoftReference<>(decoded);
        }
        return decoded;
    }

    /**
     * A raw chunk payload: bit 0, the timestamp column, the value column. (Bit 1 instead means the
     * timestamps are those of the entry {@code distance} places earlier in the same block, then
     * {@code writeSigned(distance)}, then the values: series scraped together share timestamps.)
     */
    static byte[] encodeSamples(long[] ts, double[] vs, int n) {
        BitWriter out = new BitWriter(n);
        out.writeBit(false);
        ColumnCodec.writeTimestamps(out, ts, n);
        ColumnCodec.writeValues(out, vs, n);
        return out.toByteArray();
    }

    /** Decodes a payload written by {@link #encodeSamples} (inline timestamps only). */
    static Samples decodeInline(byte[] payload, int n) {
        BitReader in = new BitReader(payload);
        if (in.readBit()) {
            throw new CorruptDataException("expected inline timestamps");
        }
        long[] ts = ColumnCodec.readTimestamps(in, n);
        return new Samples(ts, ColumnCodec.readValues(in, n));
    }

    /** Builds the entries of one raw block, storing each distinct timestamp column once. Not thread-safe. */
    static final class RawBuilder {
        private final List<Entry> entries = new ArrayList<>();
        private final Map<Integer, List<Integer>> byHash = new HashMap<>();
        private final List<long[]> columns = new ArrayList<>();

        void add(int seriesId, long[] ts, double[] vs) {
            int n = ts.length;
            int hash = Arrays.hashCode(ts);
            int here = entries.size();
            byte[] payload = null;
            for (int candidate : byHash.getOrDefault(hash, List.of())) {
                if (Arrays.equals(columns.get(candidate), ts)) {
                    BitWriter out = new BitWriter(n / 4);
                    out.writeBit(true);
                    out.writeSigned(here - candidate);
                    ColumnCodec.writeValues(out, vs, n);
                    payload = out.toByteArray();
                    break;
                }
            }
            if (payload == null) {
                payload = encodeSamples(ts, vs, n);
                byHash.computeIfAbsent(hash, k -> new ArrayList<>()).add(here);
            }
            columns.add(ts);
            entries.add(new Entry(seriesId, ts[0], ts[n - 1], n, payload));
        }

        List<Entry> entries() {
            return entries;
        }
    }
}
