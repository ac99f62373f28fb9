package io.opsbase.bench.agents;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the simulated agents did, counted across all of them: polls in flight right now, failures
 * by first message (so a run prints "503 … × 120" rather than 120 lines), tasks answered. Thread-safe.
 */
final class LoadCounters {

    private final AtomicInteger pollsInFlight = new AtomicInteger();
    private final AtomicLong pollsCompleted = new AtomicLong();
    private final AtomicLong failedPolls = new AtomicLong();
    private final AtomicLong failedReports = new AtomicLong();
    private final AtomicLong answeredTasks = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong refusedTasks = new AtomicLong();
    private final ConcurrentHashMap<String, AtomicLong> failures = new ConcurrentHashMap<>();

    void pollStarted() {
        pollsInFlight.incrementAndGet();
    }

    void pollEnded() {
        pollsInFlight.decrementAndGet();
        pollsCompleted.incrementAndGet();
    }

    void failedPoll(String why) {
        failedPolls.incrementAndGet();
        failure("poll: " + why);
    }

    void failedReport(String why) {
        failedReports.incrementAndGet();
        failure("report: " + why);
    }

    void retried(String why) {
        retries.incrementAndGet();
        failure("retried " + why);
    }

    long retries() {
        return retries.get();
    }

    void answeredTask() {
        answeredTasks.incrementAndGet();
    }

    void refusedTask() {
        refusedTasks.incrementAndGet();
    }

    int pollsInFlight() {
        return pollsInFlight.get();
    }

    long pollsCompleted() {
        return pollsCompleted.get();
    }

    long failedPolls() {
        return failedPolls.get();
    }

    long failedReports() {
        return failedReports.get();
    }

    long answeredTasks() {
        return answeredTasks.get();
    }

    long refusedTasks() {
        return refusedTasks.get();
    }

    /** The distinct failure messages (cut to 160 characters) with their counts. */
    String failures() {
        var sb = new StringBuilder();
        failures.forEach((k, v) -> sb.append("  ").append(v.get()).append(" × ").append(k).append('\n'));
        return sb.toString();
    }

    private void failure(String why) {
        String key = why.length() > 160 ? why.substring(0, 160) : why;
        failures.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
    }
}
