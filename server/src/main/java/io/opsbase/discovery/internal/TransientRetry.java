package io.opsbase.discovery.internal;

import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.TransientDataAccessException;

/**
 * Runs a whole transaction again when the database gave it up for a reason a retry can clear:
 * a lock wait that timed out (H2's 10 s lock timeout), a deadlock victim, a serialisation failure
 * ({@link TransientDataAccessException} and its subclasses). The failed attempt was rolled back, so
 * running it again is safe; nothing was acknowledged. Used for inventory reports, whose first
 * inventories wait on shared resolution stripes: before, such a report was answered 500 and the
 * agent had to send it again (docs/benchmarks.md, "Agents and discovery").
 */
public final class TransientRetry {

    /** Attempts in all, the first included. */
    static final int ATTEMPTS = 3;

    private static final Logger log = LoggerFactory.getLogger(TransientRetry.class);

    private TransientRetry() {
    }

    /** {@code transaction} must start (and end) its own transaction: it is called up to {@link #ATTEMPTS} times. */
    public static <T> T run(String what, Supplier<T> transaction) {
        for (int attempt = 1; ; attempt++) {
            try {
                return transaction.get();
            } catch (TransientDataAccessException e) {
                if (attempt >= ATTEMPTS) {
                    throw e;
                }
                log.warn("{}: attempt {} of {} failed ({}: {}); running it again", what, attempt, ATTEMPTS,
                        e.getClass().getSimpleName(), firstLine(e.getMostSpecificCause().getMessage()));
            }
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
