package io.opsbase.metrics;

/**
 * The store stopped accepting writes because writing or syncing the WAL failed (a failed fsync
 * cannot be retried safely: the kernel may have dropped the dirty pages). Reopening the store
 * recovers everything that was acknowledged.
 */
public class StoreFailedException extends RuntimeException {
    public StoreFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
