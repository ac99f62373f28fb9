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

    private long[] bufferT = new long[2];
    private double[] bufferV = new double[2];
    private int buffered;
    private long newest = Long.MIN_VALUE;
    private final List<long[]> chunkWindows = new ArrayList<>();
    private final List<HeadChunk> chunks = new ArrayList<>();

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
            bufferT = Arrays.copyOf(bufferT, buffered * 2);
            bufferV = Arrays.copyOf(bufferV, buffered * 2);
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
            int last = chunks.size() - 1;
            HeadChunk chunk;
            if (last >= 0 && chunkWindows.get(last)[0] == w) {
                chunk = chunks.get(last);
            } else {
                chunk = new HeadChunk();
                chunks.add(chunk);
                chunkWindows.add(new long[] {w});
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
        for (HeadChunk chunk : chunks) {
            chunk.decodeInto(out);
        }
        for (int i = 0; i < buffered; i++) {
            out.add(bufferT[i], bufferV[i]);
        }
        return out.toSamples();
    }

    synchronized int count() {
        int n = buffered;
        for (HeadChunk chunk : chunks) {
            n += chunk.count();
        }
        return n;
    }

    synchronized long bytes() {
        long n = 16L * bufferT.length + 64;
        for (HeadChunk chunk : chunks) {
            n += chunk.bytes() + 48;
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
        chunks.getLast().decodeInto(out);
        return new Sample(out.ts[out.size - 1], out.vs[out.size - 1]);
    }

    /** Smallest window start holding data, or Long.MAX_VALUE. */
    synchronized long firstWindow(long window) {
        if (!chunks.isEmpty()) {
            return chunkWindows.getFirst()[0];
        }
        return buffered > 0 ? Math.floorDiv(bufferT[0], window) * window : Long.MAX_VALUE;
    }

    /** Removes and returns every sample before {@code end}, in time order (sealing). */
    synchronized Samples takeBefore(long end) {
        SampleBuffer out = new SampleBuffer(64);
        while (!chunks.isEmpty() && chunkWindows.getFirst()[0] < end) {
            chunks.removeFirst().decodeInto(out);
            chunkWindows.removeFirst();
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
