package io.opsbase.monitoring.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;

import io.opsbase.metrics.SeriesId;

/** The remote-write reader over hand-encoded protobuf, and the label-bytes cache fed from it. */
class RemoteWriteDecoderTest {

    @Test
    void readsEverySeriesLabelsAndSamplesIntoFlatArrays() throws Exception {
        byte[] request = request(
                series(labels("__name__", "up", "ci", "7"), sample(1000, 1.0), sample(2000, 0.0)),
                series(labels("__name__", "load1", "ci", "7", "host", "a")),
                series(labels("__name__", "load5", "ci", "8"), sample(3000, 2.5)));

        RemoteWriteDecoder.Request r = RemoteWriteDecoder.read(Snappy.compress(request), 1 << 20);

        assertThat(r.seriesCount()).isEqualTo(3);
        assertThat(r.sampleCount()).isEqualTo(3);
        assertThat(r.labels(0)).isEqualTo(Map.of("__name__", "up", "ci", "7"));
        assertThat(r.labels(1)).isEqualTo(Map.of("__name__", "load1", "ci", "7", "host", "a"));
        assertThat(r.firstSample(0)).isEqualTo(0);
        assertThat(r.endSample(0)).isEqualTo(2);
        assertThat(r.firstSample(1)).isEqualTo(r.endSample(1)).as("no samples").isEqualTo(2);
        assertThat(r.firstSample(2)).isEqualTo(2);
        assertThat(Arrays.copyOf(r.timestamps(), 3)).containsExactly(1000, 2000, 3000);
        assertThat(Arrays.copyOf(r.values(), 3)).containsExactly(1.0, 0.0, 2.5);
    }

    @Test
    void theSameLabelsSentTwiceHaveTheSameBytesAndAHitInTheCache() throws Exception {
        byte[] labels = labels("__name__", "up", "ci", "7", "job", "node");
        RemoteWriteDecoder.Request r = RemoteWriteDecoder.read(Snappy.compress(request(
                series(labels, sample(1000, 1.0)), series(labels("__name__", "up", "ci", "7", "job", "other"), sample(1000, 1.0)),
                series(labels, sample(2000, 1.0)))), 1 << 20);
        var cache = new LabelBytesCache(100);
        var resolved = new LabelBytesCache.Resolved(7, new SeriesId(3), "up{…}");

        assertThat(cache.get(r.raw(), r.labelsFrom(0), r.labelsTo(0))).isNull();
        cache.put(r.raw(), r.labelsFrom(0), r.labelsTo(0), resolved);

        assertThat(r.labelsTo(0) - r.labelsFrom(0)).isEqualTo(labels.length);
        assertThat(cache.get(r.raw(), r.labelsFrom(2), r.labelsTo(2))).isEqualTo(resolved);
        assertThat(cache.get(r.raw(), r.labelsFrom(1), r.labelsTo(1))).as("one label value differs").isNull();
    }

    @Test
    void labelsSplitBySamplesAreReadButNotOfferedAsOneRangeOfBytes() throws Exception {
        ByteArrayOutputStream series = new ByteArrayOutputStream();
        series.writeBytes(labels("__name__", "up"));
        series.writeBytes(sample(1000, 1.0));
        series.writeBytes(labels("ci", "7"));
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        field(request, 1, series.toByteArray());

        RemoteWriteDecoder.Request r = RemoteWriteDecoder.read(Snappy.compress(request.toByteArray()), 1 << 20);

        assertThat(r.labelsFrom(0)).isEqualTo(-1);
        assertThat(r.labels(0)).isEqualTo(Map.of("__name__", "up", "ci", "7"));
        assertThat(r.sampleCount()).isEqualTo(1);
    }

    @Test
    void truncatedOrOversizedRequestsAreMalformed() throws Exception {
        byte[] whole = request(series(labels("__name__", "up", "ci", "7"), sample(1000, 1.0)));
        byte[] truncated = Arrays.copyOf(whole, whole.length - 3);

        assertThatThrownBy(() -> RemoteWriteDecoder.read(Snappy.compress(truncated), 1 << 20))
                .isInstanceOf(RemoteWriteDecoder.MalformedException.class);
        assertThatThrownBy(() -> RemoteWriteDecoder.read(Snappy.compress(whole), 10))
                .isInstanceOf(RemoteWriteDecoder.MalformedException.class).hasMessageContaining("limit");
        assertThatThrownBy(() -> RemoteWriteDecoder.read("plain".getBytes(StandardCharsets.UTF_8), 1 << 20))
                .isInstanceOf(RemoteWriteDecoder.MalformedException.class);
    }

    @Test
    void aFieldRunningPastTheEndOfItsOwnMessageIsMalformedEvenInsideTheBody() throws Exception {
        // A sample whose fixed64 value claims 8 bytes but its message holds 4, followed by a label, so the
        // bytes exist in the series: the sample must not read into the label.
        ByteArrayOutputStream shortSample = new ByteArrayOutputStream();
        field(shortSample, 2, new byte[] {0x09, 1, 2, 3});
        byte[] series = series(labels("__name__", "up", "ci", "7"), shortSample.toByteArray(), labels("job", "node"));
        assertThatThrownBy(() -> RemoteWriteDecoder.read(Snappy.compress(request(series)), 1 << 20))
                .isInstanceOf(RemoteWriteDecoder.MalformedException.class);

        // A label whose value claims more bytes than the label message holds: refused when its labels are read.
        ByteArrayOutputStream label = new ByteArrayOutputStream();
        field(label, 1, "job".getBytes(StandardCharsets.UTF_8));
        label.write(0x12);
        label.write(40);
        label.writeBytes("x".getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream badLabel = new ByteArrayOutputStream();
        field(badLabel, 1, label.toByteArray());
        byte[] withBadLabel = series(badLabel.toByteArray(), labels("__name__", "up", "ci", "7", "a", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"),
                sample(1000, 1.0));
        RemoteWriteDecoder.Request r = RemoteWriteDecoder.read(Snappy.compress(request(withBadLabel)), 1 << 20);
        assertThatThrownBy(() -> r.labels(0)).isInstanceOf(RemoteWriteDecoder.MalformedException.class);
    }

    @Test
    void theCacheFindsEverySeriesAsItGrowsAndEmptiesItselfPastItsBound() {
        var cache = new LabelBytesCache(5_000);
        for (int i = 0; i < 5_000; i++) {
            byte[] key = labels("__name__", "m" + (i % 37), "instance", "host-" + i);
            cache.put(key, 0, key.length, new LabelBytesCache.Resolved(1, new SeriesId(i), "m"));
        }
        assertThat(cache.size()).isEqualTo(5_000);
        for (int i = 0; i < 5_000; i++) {
            byte[] key = labels("__name__", "m" + (i % 37), "instance", "host-" + i);
            byte[] padded = new byte[key.length + 3];
            System.arraycopy(key, 0, padded, 2, key.length);
            assertThat(cache.id(padded, 2, 2 + key.length)).isEqualTo(i);
            assertThat(cache.get(key, 0, key.length).id()).isEqualTo(new SeriesId(i));
        }
        byte[] unknown = labels("__name__", "m1", "instance", "host-5000");
        assertThat(cache.id(unknown, 0, unknown.length)).isEqualTo(-1);

        cache.put(unknown, 0, unknown.length, new LabelBytesCache.Resolved(1, new SeriesId(5_000), "m"));
        assertThat(cache.size()).as("emptied at the bound, then the new series").isEqualTo(1);
        assertThat(cache.id(unknown, 0, unknown.length)).isEqualTo(5_000);
    }

    private static byte[] request(byte[]... series) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] s : series) {
            field(out, 1, s);
        }
        return out.toByteArray();
    }

    private static byte[] series(byte[] labels, byte[]... samples) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(labels);
        for (byte[] s : samples) {
            out.writeBytes(s);
        }
        return out.toByteArray();
    }

    /** Label fields (field 1 of TimeSeries) in the order given. */
    private static byte[] labels(String... pairs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < pairs.length; i += 2) {
            ByteArrayOutputStream label = new ByteArrayOutputStream();
            field(label, 1, pairs[i].getBytes(StandardCharsets.UTF_8));
            field(label, 2, pairs[i + 1].getBytes(StandardCharsets.UTF_8));
            field(out, 1, label.toByteArray());
        }
        return out.toByteArray();
    }

    /** A sample field (field 2 of TimeSeries). */
    private static byte[] sample(long timestamp, double value) {
        ByteArrayOutputStream sample = new ByteArrayOutputStream();
        sample.write(0x09);
        sample.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(value).array());
        sample.write(0x10);
        varint(sample, timestamp);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        field(out, 2, sample.toByteArray());
        return out.toByteArray();
    }

    private static void field(ByteArrayOutputStream out, int number, byte[] bytes) {
        varint(out, (number << 3) | 2);
        varint(out, bytes.length);
        out.writeBytes(bytes);
    }

    private static void varint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
