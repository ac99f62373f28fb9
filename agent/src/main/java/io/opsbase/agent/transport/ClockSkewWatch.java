package io.opsbase.agent.transport;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opsbase.agent.json.Timestamps;
import io.opsbase.protocol.signing.SignatureVerifier;

/**
 * Compares this host's clock with the {@code Date} header of every server answer, so a drifting
 * clock is reported while requests still pass — before the server starts refusing them at
 * {@link SignatureVerifier#DEFAULT_WINDOW}. Warns at most once an hour. The header has whole-second
 * resolution and the answer's travel time adds to it, so small skews are not reported. Thread-safe.
 */
public final class ClockSkewWatch {

    static final Duration WARN_FROM = Duration.ofSeconds(60);
    private static final Duration WARN_EVERY = Duration.ofHours(1);
    private static final Logger LOG = LoggerFactory.getLogger(ClockSkewWatch.class);

    private final Clock clock;
    private Duration lastSkew;
    private Instant lastWarning;

    public ClockSkewWatch(Clock clock) {
        this.clock = clock;
    }

    /** Local time minus server time, as of the last answer that carried a {@code Date} header. */
    public synchronized Optional<Duration> lastSkew() {
        return Optional.ofNullable(lastSkew);
    }

    /** Takes note of the {@code Date} header of a server answer. */
    void observe(String date) {
        Instant serverTime;
        try {
            serverTime = Timestamps.parseHttpDate(date);
        } catch (DateTimeException e) {
            return;
        }
        var now = clock.instant();
        var skew = Duration.between(serverTime, now);
        synchronized (this) {
            lastSkew = skew;
            if (skew.abs().compareTo(WARN_FROM) >= 0 && (lastWarning == null || !now.isBefore(lastWarning.plus(WARN_EVERY)))) {
                lastWarning = now;
                LOG.warn("this host's clock is {} s {} the server's; the server refuses requests beyond {} s: check its time "
                        + "synchronisation (NTP)", skew.abs().toSeconds(), skew.isNegative() ? "behind" : "ahead of",
                        SignatureVerifier.DEFAULT_WINDOW.toSeconds());
            }
        }
    }
}
