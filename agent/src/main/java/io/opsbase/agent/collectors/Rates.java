package io.opsbase.agent.collectors;

import java.util.HashMap;
import java.util.Map;

/**
 * Turns monotonically increasing kernel counters into per-second rates between two readings. A
 * counter that went backwards (a reset, a reboot, a re-created interface) yields no rate for that
 * reading rather than a huge negative or positive spike. Not thread-safe: one per collector.
 */
final class Rates {

    private record Reading(double value, long atMillis) { }

    private final Map<String, Reading> previous = new HashMap<>();

    /** The rate per second of {@code key} since the previous reading, or NaN when there is none. */
    double perSecond(String key, double counter, long nowMillis) {
        Reading before = previous.put(key, new Reading(counter, nowMillis));
        if (before == null || nowMillis <= before.atMillis() || counter < before.value()) {
            return Double.NaN;
        }
        return (counter - before.value()) * 1000.0 / (nowMillis - before.atMillis());
    }

    /** Forgets keys not seen in the latest round, so a removed device does not keep memory forever. */
    void retainOnly(java.util.Set<String> keys) {
        previous.keySet().retainAll(keys);
    }
}
