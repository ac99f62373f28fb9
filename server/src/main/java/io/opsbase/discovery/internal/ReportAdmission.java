package io.opsbase.discovery.internal;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.springframework.stereotype.Component;

import io.opsbase.discovery.DiscoveryProperties;

/**
 * A bulkhead in front of inventory reconciliation: at most {@code concurrent-reports} reports run
 * their transaction at once, the others wait here in arrival order. A report's transaction waits
 * on locks other writers share (a new CI's class, the audit chain) while holding a database
 * connection; without this bound, a burst of enrollments took every connection of the pool and the
 * agents' long-polls failed for want of one (docs/benchmarks.md, "Agents and discovery"). Waiting
 * here costs a parked virtual thread, not a connection. Thread-safe.
 */
@Component
public class ReportAdmission {

    private final Semaphore permits;
    private final long waitNanos;

    ReportAdmission(DiscoveryProperties properties) {
        this.permits = new Semaphore(properties.concurrentReports(), true);
        this.waitNanos = properties.reportWait().toNanos();
    }

    /** Waits for a turn; false when none came within {@code report-wait}. A true must be followed by {@link #leave}. */
    public boolean enter() throws InterruptedException {
        return permits.tryAcquire(waitNanos, TimeUnit.NANOSECONDS);
    }

    public void leave() {
        permits.release();
    }
}
