package io.opsbase.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The unsealed samples of one series: a small sorted reorder buffer holding every sample within
 * {@code tolerance} of the newest one, and behind it one compressed {@link HeadChunk} per block
 * window. A sample moves from the buffer into its window's chunk once it is more than
 * {@code tolerance} older than the newest sample, so chunks only ever see increasing timestamps.
 *
 * <p>Rules (documented in docs/metrics-store.md): a sample is accepted iff its timestamp is at or
 * after the sealed boundary and not more than {@code tolerance} older than the series' newest
 * accepted sample. A sample with the timestamp of one still in the buffer replaces it (last write
 * wins).
 *
 * <p>Thread-safe: every method is synchronized; readers copy what they need.
 */
final class HeadSeries {

    private static final long[] NO_TIMESTAMPS = new long[0];
    private static final double[] NO_VALUES = new double[0];

    // Empty until the first sample: a million idle series should cost the index, not buffers.
    private long[] bufferT = NO_TIMESTAMPS;
    private double[] bufferV = NO_VALUES;
    private int buffered;
    private long newest = Long.MIN_VALUE;
    private List<WindowChunk> chunks = List.of();

    private record WindowChunk(long window, HeadChunk chunk) {
    }

    synchronized boolean append(long t, double v, long tolerance, long sealedUntil, long window) {
        if (t < sealedUntil || (newest != Long.MIN_VALUE && t < newest - tolerance)) {
            return false;
        }
        int at = SampleBuffer.lowerBound(bufferT, buffered, t);
        if (at < buffered && bufferT[at] == t) {
            bufferV[at] = v;
            return true;
        }
        if (buffered == bufferT.length) {
            bufferT = Arrays.copyOf(bufferT, Math.max(2, buffered * 2));
            bufferV = Arrays.copyOf(bufferV, Math.max(2, buffered * 2));
        }
        System.arraycopy(bufferT, at, bufferT, at + 1, buffered - at);
        System.arraycopy(bufferV, at, bufferV, at + 1, buffered - at);
        bufferT[at] = t;
        bufferV[at] = v;
        buffered++;
        if (t > newest) {
            newest = t;
            drainOlderThan(newest - tolerance, window);
        }
        return true;
    }

    /** Moves buffered samples with timestamp below {@code limit} into their chunks. */
    private void drainOlderThan(long limit, long window) {
        int moved = 0;
        while (moved < buffered && bufferT[moved] < limit) {
            long t = bufferT[moved];
            long w = Math.floorDiv(t, window) * window;
            HeadChunk chunk;
            if (!chunks.isEmpty() && chunks.getLast().window() == w) {
                chunk = chunks.getLast().chunk();
            } else {
                chunk = new HeadChunk();
                if (chunks.isEmpty()) {
                    chunks = new ArrayList<>(2);
                }
                chunks.add(new WindowChunk(w, chunk));
            }
            chunk.append(t, bufferV[moved]);
            moved++;
        }
        if (moved > 0) {
            System.arraycopy(bufferT, moved, bufferT, 0, buffered - moved);
            System.arraycopy(bufferV, moved, bufferV, 0, buffered - moved);
            buffered -= moved;
        }
    }

    /** All unsealed samples in time order. */
    synchronized Samples samples() {
        SampleBuffer out = new SampleBuffer(count());
        for (WindowChunk c : chunks) {
            c.chunk().decodeInto(out);
        }
        for (int i = 0; i < buffered; i++) {
            out.add(bufferT[i], bufferV[i]);
        }
        return out.toSamples();
    }

    synchronized int count() {
        int n = buffered;
        for (WindowChunk c : chunks) {
            n += c.chunk().count();
        }
        return n;
    }

    synchronized Sample latest() {
        if (buffered > 0) {
            return new Sample(bufferT[buffered - 1], bufferV[buffered - 1]);
        }
        if (chunks.isEmpty()) {
            return null;
        }
        SampleBuffer out = new SampleBuffer(16);
        chunks.getLast().chunk().decodeInto(out);
        return new Sample(out.ts[out.size - 1], out.vs[out.size - 1]);
    }

    /** Removes and returns every sample before {@code end}, in time order (sealing). */
    synchronized Samples takeBefore(long end) {
        SampleBuffer out = new SampleBuffer(64);
        while (!chunks.isEmpty() && chunks.getFirst().window() < end) {
            chunks.removeFirst().chunk().decodeInto(out);
        }
        int moved = 0;
        while (moved < buffered && bufferT[moved] < end) {
            out.add(bufferT[moved], bufferV[moved]);
            moved++;
        }
        System.arraycopy(bufferT, moved, bufferT, 0, buffered - moved);
        System.arraycopy(bufferV, moved, bufferV, 0, buffered - moved);
        buffered -= moved;
        return out.toSamples();
    }
}
