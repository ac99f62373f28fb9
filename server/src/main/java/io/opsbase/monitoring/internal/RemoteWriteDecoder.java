package io.opsbase.monitoring.internal;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.xerial.snappy.Snappy;

/**
 * Reads a Prometheus remote-write 1.0 request: a snappy block-compressed protobuf
 * {@code WriteRequest}. Only what the store keeps is read — each {@code TimeSeries}' labels and
 * float samples; exemplars, native histograms and metadata are skipped by their wire type. A
 * hand-written reader of the few messages involved, so the server needs no protobuf runtime:
 *
 * <pre>
 * WriteRequest { repeated TimeSeries timeseries = 1; repeated MetricMetadata metadata = 3; }
 * TimeSeries   { repeated Label labels = 1; repeated Sample samples = 2; … }
 * Label        { string name = 1; string value = 2; }
 * Sample       { double value = 1; int64 timestamp = 2; }   // timestamp in ms
 * </pre>
 */
public final class RemoteWriteDecoder {

    /** One series of the request: all its labels ({@code __name__} included) and its samples. */
    public record Series(Map<String, String> labels, long[] timestamps, double[] values) {
    }

    /** The body is not snappy, not protobuf, or breaks a limit. */
    public static final class MalformedException extends Exception {
        MalformedException(String message) {
            super(message);
        }
    }

    private RemoteWriteDecoder() {
    }

    public static List<Series> decode(byte[] compressed, int maxUncompressedBytes) throws MalformedException {
        Request request = read(compressed, maxUncompressedBytes);
        List<Series> out = new ArrayList<>(request.seriesCount());
        for (int s = 0; s < request.seriesCount(); s++) {
            int from = request.firstSample(s);
            int to = request.endSample(s);
            out.add(new Series(request.labels(s), Arrays.copyOfRange(request.timestamps(), from, to),
                    Arrays.copyOfRange(request.values(), from, to)));
        }
        return out;
    }

    /**
     * A whole request decoded without building strings: for each series where its labels lie in
     * the uncompressed body, and its samples as slices of two flat arrays. Label text is parsed
     * only when asked for ({@link #labels}), so a receiver that recognises a series by its label
     * bytes (a sender writes a series' labels the same way every time) never decodes them again.
     */
    public static final class Request {
        private final byte[] raw;
        private int count;
        private int[] labelsFrom = new int[256];
        private int[] labelsTo = new int[256];
        private int[] seriesFrom = new int[256];
        private int[] seriesTo = new int[256];
        private int[] samplesEnd = new int[256];
        private int samples;
        private long[] timestamps = new long[1024];
        private double[] values = new double[1024];

        private Request(byte[] raw) {
            this.raw = raw;
        }

        public int seriesCount() {
            return count;
        }

        public int sampleCount() {
            return samples;
        }

        /** The body the offsets point into. */
        public byte[] raw() {
            return raw;
        }

        /**
         * Where series {@code s}'s label fields start in {@link #raw}; with {@link #labelsTo} the
         * exact bytes of all its labels, or -1 when its labels are not written together.
         */
        public int labelsFrom(int s) {
            return labelsFrom[s];
        }

        public int labelsTo(int s) {
            return labelsTo[s];
        }

        /** The first sample of series {@code s}, an index into {@link #timestamps} and {@link #values}. */
        public int firstSample(int s) {
            return s == 0 ? 0 : samplesEnd[s - 1];
        }

        public int endSample(int s) {
            return samplesEnd[s];
        }

        public long[] timestamps() {
            return timestamps;
        }

        public double[] values() {
            return values;
        }

        /** Every label of series {@code s}, {@code __name__} included, sorted by name. */
        public Map<String, String> labels(int s) throws MalformedException {
            Map<String, String> labels = new TreeMap<>();
            Cursor r = new Cursor(raw, seriesFrom[s], seriesTo[s]);
            while (r.more()) {
                long key = r.varint();
                if (key >>> 3 == 1 && (key & 7) == 2) {
                    int labelEnd = r.lengthDelimitedEnd();
                    String name = "";
                    String value = "";
                    while (r.pos < labelEnd) {
                        long k = r.varint();
                        if ((k & 7) != 2) {
                            r.skip((int) (k & 7), labelEnd);
                        } else if (k >>> 3 == 1) {
                            name = r.string(labelEnd);
                        } else if (k >>> 3 == 2) {
                            value = r.string(labelEnd);
                        } else {
                            r.skip(2, labelEnd);
                        }
                    }
                    if (r.pos != labelEnd) {
                        throw new MalformedException("protobuf field runs past the end of its message");
                    }
                    labels.put(name, value);
                } else {
                    r.skip((int) (key & 7), r.end);
                }
            }
            return labels;
        }

        private void addSeries(int from, int to, int labelsStart, int labelsEnd) {
            if (count == seriesFrom.length) {
                int n = count * 2;
                labelsFrom = Arrays.copyOf(labelsFrom, n);
                labelsTo = Arrays.copyOf(labelsTo, n);
                seriesFrom = Arrays.copyOf(seriesFrom, n);
                seriesTo = Arrays.copyOf(seriesTo, n);
                samplesEnd = Arrays.copyOf(samplesEnd, n);
            }
            seriesFrom[count] = from;
            seriesTo[count] = to;
            labelsFrom[count] = labelsStart;
            labelsTo[count] = labelsEnd;
            samplesEnd[count] = samples;
            count++;
        }

        private void addSample(long timestamp, double value) {
            if (samples == timestamps.length) {
                timestamps = Arrays.copyOf(timestamps, samples * 2);
                values = Arrays.copyOf(values, samples * 2);
            }
            timestamps[samples] = timestamp;
            values[samples] = value;
            samples++;
        }
    }

    /**
     * Decodes a request into a {@link Request}: offsets and flat sample arrays, no strings, and no
     * object per message (one cursor walks the body; nested messages are bounded by their end).
     */
    public static Request read(byte[] compressed, int maxUncompressedBytes) throws MalformedException {
        Request out = new Request(uncompressed(compressed, maxUncompressedBytes));
        Cursor r = new Cursor(out.raw, 0, out.raw.length);
        while (r.more()) {
            long key = r.varint();
            if (key >>> 3 == 1 && (key & 7) == 2) {
                int seriesEnd = r.lengthDelimitedEnd();
                int from = r.pos;
                int labelsStart = -1;
                int labelsEnd = -1;
                boolean together = true;
                while (r.pos < seriesEnd) {
                    int fieldStart = r.pos;
                    long k = r.varint();
                    int field = (int) (k >>> 3);
                    int type = (int) (k & 7);
                    if (field == 1 && type == 2) {
                        int fieldEnd = r.lengthDelimitedEnd(seriesEnd);
                        r.pos = fieldEnd;
                        if (labelsStart < 0) {
                            labelsStart = fieldStart;
                        } else if (labelsEnd != fieldStart) {
                            together = false;
                        }
                        labelsEnd = fieldEnd;
                    } else if (field == 2 && type == 2) {
                        int sampleEnd = r.lengthDelimitedEnd(seriesEnd);
                        long bits = 0;
                        long timestamp = 0;
                        while (r.pos < sampleEnd) {
                            long sk = r.varint();
                            if (sk >>> 3 == 1 && (sk & 7) == 1) {
                                bits = r.fixed64(sampleEnd);
                            } else if (sk >>> 3 == 2 && (sk & 7) == 0) {
                                timestamp = r.varint();
                            } else {
                                r.skip((int) (sk & 7), sampleEnd);
                            }
                        }
                        if (r.pos != sampleEnd) {
                            throw new MalformedException("protobuf field runs past the end of its message");
                        }
                        out.addSample(timestamp, Double.longBitsToDouble(bits));
                    } else {
                        r.skip(type, seriesEnd);
                    }
                }
                if (r.pos != seriesEnd) {
                    throw new MalformedException("protobuf field runs past the end of its message");
                }
                if (!together) {
                    labelsStart = -1;
                    labelsEnd = -1;
                }
                out.addSeries(from, seriesEnd, labelsStart, labelsEnd);
            } else {
                r.skip((int) (key & 7), r.end);
            }
        }
        return out;
    }

    private static byte[] uncompressed(byte[] compressed, int maxUncompressedBytes) throws MalformedException {
        try {
            if (!Snappy.isValidCompressedBuffer(compressed)) {
                throw new MalformedException("the body is not snappy block-compressed");
            }
            int length = Snappy.uncompressedLength(compressed);
            if (length > maxUncompressedBytes) {
                throw new MalformedException("the request is " + length + " bytes uncompressed; the limit is " + maxUncompressedBytes);
            }
            return Snappy.uncompress(compressed);
        } catch (IOException e) {
            throw new MalformedException("the body is not snappy block-compressed: " + e.getMessage());
        }
    }

    /**
     * A position in protobuf wire data, {@code [pos, end)} of one array. Every read is
     * bounds-checked against the end of the message it is in (passed as {@code limit}), so a field
     * claiming to run past its message is malformed, as it is past the body.
     */
    private static final class Cursor {
        private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
        private final byte[] bytes;
        private final int end;
        private int pos;

        Cursor(byte[] bytes, int from, int end) {
            this.bytes = bytes;
            this.pos = from;
            this.end = end;
        }

        boolean more() {
            return pos < end;
        }

        /**
         * A varint, bounded by the body; one that runs past the end of its message is caught by
         * the caller's check that the message ends where its length said.
         */
        long varint() throws MalformedException {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= end) {
                    throw new MalformedException("truncated protobuf varint");
                }
                byte b = bytes[pos++];
                value |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    return value;
                }
            }
            throw new MalformedException("protobuf varint longer than 10 bytes");
        }

        long fixed64(int limit) throws MalformedException {
            if (limit - pos < 8) {
                throw new MalformedException("truncated protobuf fixed64");
            }
            long v = (long) LONGS.get(bytes, pos);
            pos += 8;
            return v;
        }

        /** Reads a length and answers where the length-delimited field it starts ends, within the body. */
        int lengthDelimitedEnd() throws MalformedException {
            return lengthDelimitedEnd(end);
        }

        /** Reads a length and answers where the field ends; past {@code limit} is malformed. */
        int lengthDelimitedEnd(int limit) throws MalformedException {
            long length = varint();
            if (length < 0 || length > limit - pos) {
                throw new MalformedException("protobuf length " + length + " past the end of the message");
            }
            return pos + (int) length;
        }

        String string(int limit) throws MalformedException {
            int stringEnd = lengthDelimitedEnd(limit);
            String s = new String(bytes, pos, stringEnd - pos, StandardCharsets.UTF_8);
            pos = stringEnd;
            return s;
        }

        void skip(int wireType, int limit) throws MalformedException {
            switch (wireType) {
                case 0 -> varint();
                case 1 -> fixed64(limit);
                case 2 -> pos = lengthDelimitedEnd(limit);
                case 5 -> {
                    if (limit - pos < 4) {
                        throw new MalformedException("truncated protobuf fixed32");
                    }
                    pos += 4;
                }
                default -> throw new MalformedException("unsupported protobuf wire type " + wireType);
            }
        }
    }
}
