package io.opsbase.agent.transport;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential back-off with jitter between failed attempts: 1 s, 2 s, 4 s … up to the maximum, so
 * thousands of agents do not hammer a server that comes back. Not thread-safe: one per loop.
 */
public final class Backoff {

    private final Duration initial;
    private final Duration max;
    private Duration next;

    public Backoff(Duration initial, Duration max) {
        this.initial = initial;
        this.max = max;
        this.next = initial;
    }

    public static Backoff standard() {
        return new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1));
    }

    /** The pause the next failure would wait, before jitter. */
    public Duration next() {
        return next;
    }

    public void pauseAfterFailure() throws InterruptedException {
        var millis = next.toMillis();
        var jittered = millis / 2 + ThreadLocalRandom.current().nextLong(millis / 2 + 1);
        next = next.multipliedBy(2).compareTo(max) > 0 ? max : next.multipliedBy(2);
        Thread.sleep(jittered);
    }

    public void reset() {
        next = initial;
    }
}
