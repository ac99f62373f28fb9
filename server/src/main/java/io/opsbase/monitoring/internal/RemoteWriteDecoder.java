package io.opsbase.monitoring.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
        byte[] raw;
        try {
            if (!Snappy.isValidCompressedBuffer(compressed)) {
                throw new MalformedException("the body is not snappy block-compressed");
            }
            int length = Snappy.uncompressedLength(compressed);
            if (length > maxUncompressedBytes) {
                throw new MalformedException("the request is " + length + " bytes uncompressed; the limit is " + maxUncompressedBytes);
            }
            raw = Snappy.uncompress(compressed);
        } catch (IOException e) {
            throw new MalformedException("the body is not snappy block-compressed: " + e.getMessage());
        }
        List<Series> out = new ArrayList<>();
        Reader r = new Reader(ByteBuffer.wrap(raw));
        while (r.more()) {
            long key = r.varint();
            if (key >>> 3 == 1 && (key & 7) == 2) {
                out.add(series(r.message()));
            } else {
                r.skip((int) (key & 7));
            }
        }
        return out;
    }

    private static Series series(Reader r) throws MalformedException {
        Map<String, String> labels = new TreeMap<>();
        List<long[]> samples = new ArrayList<>();
        while (r.more()) {
            long key = r.varint();
            int field = (int) (key >>> 3);
            int type = (int) (key & 7);
            if (field == 1 && type == 2) {
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
            } else if (field == 2 && type == 2) {
                Reader sample = r.message();
                long bits = 0;
                long timestamp = 0;
                while (sample.more()) {
                    long k = sample.varint();
                    if (k >>> 3 == 1 && (k & 7) == 1) {
                        bits = sample.fixed64();
                    } else if (k >>> 3 == 2 && (k & 7) == 0) {
                        timestamp = sample.varint();
                    } else {
                        sample.skip((int) (k & 7));
                    }
                }
                samples.add(new long[] {timestamp, bits});
            } else {
                r.skip(type);
            }
        }
        long[] t = new long[samples.size()];
        double[] v = new double[samples.size()];
        for (int i = 0; i < t.length; i++) {
            t[i] = samples.get(i)[0];
            v[i] = Double.longBitsToDouble(samples.get(i)[1]);
        }
        return new Series(labels, t, v);
    }

    /** A cursor over protobuf wire data; every read is bounds-checked. */
    private static final class Reader {
        private final ByteBuffer buf;

        Reader(ByteBuffer buf) {
            this.buf = buf.order(ByteOrder.LITTLE_ENDIAN);
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
            ByteBuffer slice = buf.slice(buf.position(), (int) length);
            buf.position(buf.position() + (int) length);
            return new Reader(slice);
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
