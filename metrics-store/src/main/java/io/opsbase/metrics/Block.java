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
 * ({@code kind} 0, see {@link #encodeSamples}) or rollup buckets ({@code kind} 1). Raw blocks are
 * version 2; rollup blocks are written as version 3 (version 2 rollups are still read). Layout,
 * integers big-endian:
 *
 * <pre>
 * header  (40 bytes)  u32 magic "OPSM" | u8 version | u8 kind | u16 0
 *                     | i64 resolutionMs (0 for raw) | i64 windowStart | i64 windowEnd | i64 generation
 * payloads            chunks back to back: version 2 one per series, ascending series id
 *                     ({@link BucketCodec} for rollups); version 3 one per group of series ({@link RollupGroup})
 * index   version 2   varint entries, then per entry: varint (seriesId - previous id)
 *                     | either varint 0 (minT, maxT and count as in the previous entry)
 *                       or varint (minT - windowStart + 1) | varint (maxT - minT) | varint count
 *                     | varint payloadLength | u32 crc32c(payload)
 *         version 3   varint entries | varint groups | per group: varint entries in it
 *                     | varint payloadLength | u32 crc32c(payload); then one bit stream, per entry:
 *                     writeSigned(seriesId - previous id - 1) (the first against -1) | bit 1 = minT,
 *                     maxT and count as in the previous entry, or bit 0 | writeSigned((minT -
 *                     windowStart) / step) | writeSigned((maxT - minT) / step) | writeSigned(count - 1)
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
    /** Raw blocks, and rollup blocks written before groups: one chunk (payload and CRC) per series. */
    static final int VERSION_2 = 2;
    /** Rollup blocks with grouped entries. */
    static final int VERSION_3 = 3;
    static final int HEADER = 40;
    static final int FOOTER = 12;
    /** Bytes read from the end of a file at open: small files are read whole in one call. */
    private static final int OPEN_READ = 64 * 1024;
    static final int RAW = 0;
    static final int ROLLUP = 1;

    final Path path;
    final int version;
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
    /** Per chunk (one per entry in version 2, one per group in version 3): where, how long, its CRC. */
    private final long[] offsets;
    private final int[] lengths;
    private final int[] crcs;
    /** Version 3: the first entry of each group, and one more slot holding the number of entries. */
    private final int[] groupStarts;
    private volatile SoftReference<Bucket[]>[] bucketCache;
    /**
     * Entries folded once straight into a graph ({@link #fold}): the next read decodes them whole
     * into the cache. Races are benign: a lost mark costs one more direct fold, never a wrong answer.
     */
    private volatile boolean[] partlyRead;
    /**
     * A small file read whole at open, kept (softly) so the first payload reads of a cold query
     * need no second read of the file. The bytes are immutable; CRCs are still checked per payload.
     */
    private volatile SoftReference<byte[]> wholeFile;

    /** One series' payload to write. */
    record Entry(int seriesId, long minT, long maxT, int count, byte[] payload) {
    }

    /** One series' rollup buckets to write (at least one). */
    record RollupEntry(int seriesId, Bucket[] buckets) {
    }

    private Block(Path path, int version, int kind, long resolution, long windowStart, long windowEnd, long generation,
                  long fileBytes, int n, int chunks) {
        this.path = path;
        this.version = version;
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
        offsets = new long[chunks];
        lengths = new int[chunks];
        crcs = new int[chunks];
        groupStarts = version == VERSION_3 ? new int[chunks + 1] : null;
    }

    /**
     * Writes a version 2 block (raw blocks; rollup blocks only in tests, which keep the old writer
     * to prove such files stay readable); {@code entries} must be in ascending series id order.
     */
    static Block write(Disk disk, Path path, int kind, long resolution, long windowStart, long windowEnd,
                       long generation, List<Entry> entries) throws IOException {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        writeHeader(file, VERSION_2, kind, resolution, windowStart, windowEnd, generation);
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
        return finish(disk, path, file, index.toByteArray());
    }

    /** Writes a version 3 rollup block; {@code entries} must be in ascending series id order. */
    static Block writeRollup(Disk disk, Path path, long step, long windowStart, long windowEnd, long generation,
                             List<RollupEntry> entries) throws IOException {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        writeHeader(file, VERSION_3, ROLLUP, step, windowStart, windowEnd, generation);
        List<byte[]> payloads = new ArrayList<>();
        int[] groupSizes = RollupGroup.encode(entries, step, payloads);
        ByteArrayOutputStream index = new ByteArrayOutputStream();
        Varint.write(index, entries.size());
        Varint.write(index, groupSizes.length);
        CRC32C crc = new CRC32C();
        for (int g = 0; g < groupSizes.length; g++) {
            byte[] payload = payloads.get(g);
            file.write(payload);
            crc.reset();
            crc.update(payload);
            Varint.write(index, groupSizes[g]);
            Varint.write(index, payload.length);
            Varint.writeInt(index, (int) crc.getValue());
        }
        BitWriter meta = new BitWriter(entries.size() / 2);
        int previousId = -1;
        Bucket[] before = null;
        for (RollupEntry e : entries) {
            Bucket[] b = e.buckets();
            meta.writeSigned(e.seriesId() - previousId - 1);
            previousId = e.seriesId();
            boolean same = before != null && before[0].start() == b[0].start()
                    && before[before.length - 1].start() == b[b.length - 1].start() && before.length == b.length;
            meta.writeBit(same);
            if (!same) {
                meta.writeSigned(Math.floorDiv(b[0].start() - windowStart, step));
                meta.writeSigned(Math.floorDiv(b[b.length - 1].start() - b[0].start(), step));
                meta.writeSigned(b.length - 1);
            }
            before = b;
        }
        index.write(meta.toByteArray());
        return finish(disk, path, file, index.toByteArray());
    }

    private static Block finish(Disk disk, Path path, ByteArrayOutputStream file, byte[] indexBytes) throws IOException {
        CRC32C crc = new CRC32C();
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

    private static void writeHeader(ByteArrayOutputStream out, int version, int kind, long resolution, long windowStart,
                                    long windowEnd, long generation) {
        Varint.writeInt(out, MAGIC);
        out.write(version);
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
        int version = header.getInt() == MAGIC ? header.get() : -1;
        int kind = header.get();
        if (!(version == VERSION_2 && (kind == RAW || kind == ROLLUP)) && !(version == VERSION_3 && kind == ROLLUP)) {
            throw new CorruptDataException(path + ": not a version 2 or 3 block (version " + version + ", kind " + kind + ")");
        }
        header.getShort();
        long resolution = header.getLong();
        long windowStart = header.getLong();
        long windowEnd = header.getLong();
        long generation = header.getLong();
        ByteBuffer index = ByteBuffer.wrap(indexBytes);
        try {
            return version == VERSION_2
                    ? parseVersion2(path, size, index, kind, resolution, windowStart, windowEnd, generation)
                    : parseVersion3(path, size, index, resolution, windowStart, windowEnd, generation);
        } catch (RuntimeException e) {
            // the index passed its CRC, so this is a writer bug or a collision; never read past it
            if (e instanceof CorruptDataException c) {
                throw c;
            }
            throw new CorruptDataException(path + ": unreadable index (" + e + ")");
        }
    }

    private static Block parseVersion2(Path path, long size, ByteBuffer index, int kind, long resolution,
                                       long windowStart, long windowEnd, long generation) {
        int n = (int) Varint.read(index);
        Block block = new Block(path, VERSION_2, kind, resolution, windowStart, windowEnd, generation, size, n, n);
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

    private static Block parseVersion3(Path path, long size, ByteBuffer index, long step, long windowStart,
                                       long windowEnd, long generation) {
        int n = (int) Varint.read(index);
        int groups = (int) Varint.read(index);
        if (n < 0 || groups < 0 || groups > n) {
            throw new CorruptDataException(path + ": bad entry or group count");
        }
        Block block = new Block(path, VERSION_3, ROLLUP, step, windowStart, windowEnd, generation, size, n, groups);
        long offset = HEADER;
        int entry = 0;
        for (int g = 0; g < groups; g++) {
            block.groupStarts[g] = entry;
            long members = Varint.read(index);
            if (members < 1 || members > n - entry) {
                throw new CorruptDataException(path + ": bad group size");
            }
            entry += (int) members;
            block.lengths[g] = (int) Varint.read(index);
            block.crcs[g] = index.getInt();
            block.offsets[g] = offset;
            offset += block.lengths[g];
        }
        block.groupStarts[groups] = entry;
        if (entry != n || offset > size) {
            throw new CorruptDataException(path + ": groups disagree with the entries or the file size");
        }
        byte[] meta = new byte[index.remaining()];
        index.get(meta);
        BitReader bits = new BitReader(meta);
        int id = -1;
        for (int i = 0; i < n; i++) {
            id += (int) bits.readSigned() + 1;
            block.ids[i] = id;
            if (bits.readBit()) {
                if (i == 0) {
                    throw new CorruptDataException(path + ": first index entry refers to a previous one");
                }
                block.minT[i] = block.minT[i - 1];
                block.maxT[i] = block.maxT[i - 1];
                block.counts[i] = block.counts[i - 1];
            } else {
                block.minT[i] = windowStart + bits.readSigned() * step;
                block.maxT[i] = block.minT[i] + bits.readSigned() * step;
                block.counts[i] = (int) bits.readSigned() + 1;
                if (block.counts[i] < 1 || block.maxT[i] < block.minT[i]) {
                    throw new CorruptDataException(path + ": bad index entry for series " + id);
                }
            }
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

    /** A chunk's payload (an entry's in version 2, a group's in version 3), its CRC verified. */
    private byte[] payload(Disk disk, int chunk, int entry) throws IOException {
        SoftReference<byte[]> whole = wholeFile;
        byte[] file = whole == null ? null : whole.get();
        byte[] bytes = file != null
                ? Arrays.copyOfRange(file, (int) offsets[chunk], (int) offsets[chunk] + lengths[chunk])
                : disk.read(path, offsets[chunk], lengths[chunk]);
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        if ((int) crc.getValue() != crcs[chunk]) {
            throw new CorruptDataException(path + ": checksum mismatch in the data of series " + ids[entry]);
        }
        return bytes;
    }

    Samples samples(Disk disk, int entry) throws IOException {
        BitReader in = new BitReader(payload(disk, entry, entry));
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
            if (version == VERSION_2) {
                decoded = BucketCodec.decode(payload(disk, entry, entry), counts[entry], resolution, windowStart);
                cache[entry] = new SoftReference<>(decoded);
            } else {
                decoded = decodeGroup(disk, entry, cache);
            }
        }
        return decoded;
    }

    /**
     * Passes the buckets of an entry whose start lies in {@code (lo, hi)} to {@code sink}: from the
     * cache when the entry is decoded already; the first time, decoded straight into the sink,
     * building no bucket and caching nothing (a cold graph); from the second time on, decoded
     * whole and cached like {@link #buckets(Disk, int)}, so repeated graphs stay fast.
     */
    void fold(Disk disk, int entry, long lo, long hi, BucketSink sink) throws IOException {
        SoftReference<Bucket[]>[] cache = bucketCache;
        SoftReference<Bucket[]> ref = cache == null ? null : cache[entry];
        Bucket[] decoded = ref == null ? null : ref.get();
        boolean[] partly = partlyRead;
        if (decoded == null && (version == VERSION_2 || (partly != null && partly[entry]))) {
            decoded = buckets(disk, entry);
        }
        if (decoded != null) {
            for (Bucket b : decoded) {
                if (b.start() > lo && b.start() < hi) {
                    sink.bucket(b.start(), b.first(), b.last(), b.min(), b.max());
                }
            }
            return;
        }
        if (partly == null) {
            partly = new boolean[ids.length];
            partlyRead = partly;
        }
        partly[entry] = true;
        int g = group(entry);
        int from = groupStarts[g];
        int to = groupStarts[g + 1];
        RollupGroup.fold(payload(disk, g, entry), Arrays.copyOfRange(counts, from, to),
                Arrays.copyOfRange(minT, from, to), Arrays.copyOfRange(maxT, from, to), resolution, entry - from, lo, hi, sink);
    }

    private int group(int entry) {
        int g = Arrays.binarySearch(groupStarts, entry); // strictly ascending: no group is empty
        return g >= 0 ? g : -g - 2;
    }

    /** Decodes the whole group holding {@code entry}, caching every entry of it. */
    private Bucket[] decodeGroup(Disk disk, int entry, SoftReference<Bucket[]>[] cache) throws IOException {
        int g = group(entry);
        int from = groupStarts[g];
        int to = groupStarts[g + 1];
        Bucket[][] group = RollupGroup.read(payload(disk, g, entry), Arrays.copyOfRange(counts, from, to),
                Arrays.copyOfRange(minT, from, to), Arrays.copyOfRange(maxT, from, to), resolution, to - from - 1);
        for (int e = from; e < to; e++) {
            cache[e] = new SoftReference<>(group[e - from]);
        }
        return group[entry - from];
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
