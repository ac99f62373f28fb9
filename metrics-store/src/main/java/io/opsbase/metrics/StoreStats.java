package io.opsbase.metrics;

import java.util.List;

/**
 * A point-in-time view of the store.
 *
 * @param rawSamplesOnDisk samples in raw block files
 * @param rawBytes         bytes of raw block files
 * @param headSamples      samples not yet sealed (in memory and in the WAL)
 * @param walBytes         bytes of all WAL segments
 * @param corruptFiles     files or chunks that failed their checksum so far (never read as data)
 * @param walTruncatedBytes bytes of torn WAL tail cut off at the last open
 */
public record StoreStats(int series, long samplesAccepted, long samplesRejected, long headSamples,
                         long rawFiles, long rawSamplesOnDisk, long rawBytes, List<Level> levels,
                         int walSegments, long walBytes, long checkpoints, long compactions,
                         long corruptFiles, long walTruncatedBytes) {

    public record Level(long stepMs, long files, long buckets, long bytes) {
    }
}
