package io.opsbase.monitoring.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
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
            Reader r = new Reader(ByteBuffer.wrap(raw, seriesFrom[s], seriesTo[s] - seriesFrom[s]).slice());
            while (r.more()) {
                long key = r.varint();
                if (key >>> 3 == 1 && (key & 7) == 2) {
                    Reader label = r.message();
                    String name = "";
                    String value = "";
                    while (label.more()) {
                        long k = label.varint();
                        if ((k & 7) != 2) {
                            label.skip((int) (k & 7));
                        } else if (k >>> 3 == 1) {
                            name = label.string();
                        } else if (k >>> 3 == 2) {
                            value = label.string();
                        } else {
                            label.skip(2);
                        }
                    }
                    labels.put(name, value);
                } else {
                    r.skip((int) (key & 7));
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

    /** Decodes a request into a {@link Request}: offsets and flat sample arrays, no strings. */
    public static Request read(byte[] compressed, int maxUncompressedBytes) throws MalformedException {
        Request out = new Request(uncompressed(compressed, maxUncompressedBytes));
        byte[] raw = out.raw;
        Reader r = new Reader(ByteBuffer.wrap(raw));
        while (r.more()) {
            long key = r.varint();
            if (key >>> 3 == 1 && (key & 7) == 2) {
                Reader series = r.message();
                int from = series.buf.position() + series.base;
                int to = from + series.buf.remaining();
                int labelsStart = -1;
                int labelsEnd = -1;
                boolean together = true;
                while (series.more()) {
                    int fieldStart = series.base + series.buf.position();
                    long k = series.varint();
                    int field = (int) (k >>> 3);
                    int type = (int) (k & 7);
                    if (field == 1 && type == 2) {
                        series.message();
                        int fieldEnd = series.base + series.buf.position();
                        if (labelsStart < 0) {
                            labelsStart = fieldStart;
                        } else if (labelsEnd != fieldStart) {
                            together = false;
                        }
                        labelsEnd = fieldEnd;
                    } else if (field == 2 && type == 2) {
                        Reader sample = series.message();
                        long bits = 0;
                        long timestamp = 0;
                        while (sample.more()) {
                            long sk = sample.varint();
                            if (sk >>> 3 == 1 && (sk & 7) == 1) {
                                bits = sample.fixed64();
                            } else if (sk >>> 3 == 2 && (sk & 7) == 0) {
                                timestamp = sample.varint();
                            } else {
                                sample.skip((int) (sk & 7));
                            }
                        }
                        out.addSample(timestamp, Double.longBitsToDouble(bits));
                    } else {
                        series.skip(type);
                    }
                }
                if (!together) {
                    labelsStart = -1;
                    labelsEnd = -1;
                }
                out.addSeries(from, to, labelsStart, labelsEnd);
            } else {
                r.skip((int) (key & 7));
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

    /** A cursor over protobuf wire data; every read is bounds-checked. */
    private static final class Reader {
        private final ByteBuffer buf;
        /** Where {@code buf}'s position 0 lies in the whole body. */
        private final int base;

        Reader(ByteBuffer buf) {
            this(buf, 0);
        }

        Reader(ByteBuffer buf, int base) {
            this.buf = buf.order(ByteOrder.LITTLE_ENDIAN);
            this.base = base;
        }

        boolean more() {
            return buf.hasRemaining();
        }

        long varint() throws MalformedException {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (!buf.hasRemaining()) {
                    throw new MalformedException("truncated protobuf varint");
                }
                byte b = buf.get();
                value |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    return value;
                }
            }
            throw new MalformedException("protobuf varint longer than 10 bytes");
        }

        long fixed64() throws MalformedException {
            if (buf.remaining() < 8) {
                throw new MalformedException("truncated protobuf fixed64");
            }
            return buf.getLong();
        }

        Reader message() throws MalformedException {
            long length = varint();
            if (length < 0 || length > buf.remaining()) {
                throw new MalformedException("protobuf length " + length + " past the end of the message");
            }
            int start = buf.position();
            ByteBuffer slice = buf.slice(start, (int) length);
            buf.position(start + (int) length);
            return new Reader(slice, base + start);
        }

        String string() throws MalformedException {
            Reader s = message();
            byte[] bytes = new byte[s.buf.remaining()];
            s.buf.get(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }

        void skip(int wireType) throws MalformedException {
            switch (wireType) {
                case 0 -> varint();
                case 1 -> fixed64();
                case 2 -> message();
                case 5 -> {
                    if (buf.remaining() < 4) {
                        throw new MalformedException("truncated protobuf fixed32");
                    }
                    buf.position(buf.position() + 4);
                }
                default -> throw new MalformedException("unsupported protobuf wire type " + wireType);
            }
        }
    }
}
