package io.opsbase.metrics;

/**
 * Stored bytes failed a checksum or do not decode. The store never returns such bytes as data:
 * the query that met them fails with this exception and {@link StoreStats#corruptFiles()} counts them.
 */
public class CorruptDataException extends RuntimeException {
    public CorruptDataException(String message) {
        super(message);
    }
}
