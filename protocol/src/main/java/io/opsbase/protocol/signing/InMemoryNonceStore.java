package io.opsbase.protocol.signing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * A bounded {@link NonceStore} for one server node.
 *
 * <p>Invariant: every nonce with a request time newer than {@link #horizon} that was accepted within
 * the window is in {@link #seen}. Nonces whose request time is older than now minus the window are
 * forgotten — the verifier refuses such timestamps anyway. When the store is full it forgets the
 * oldest nonce and moves the horizon up to its time: from then on a request at or before the
 * horizon is refused, since its nonce can no longer be checked. Under normal load the window
 * empties the store long before it fills. All methods are synchronized.
 */
public final class InMemoryNonceStore implements NonceStore {

    private record Entry(String key, Instant time) {
    }

    private final Clock clock;
    private final Duration window;
    private final int capacity;
    private final Set<String> seen = new HashSet<>();
    private final PriorityQueue<Entry> byTime = new PriorityQueue<>(Comparator.comparing(Entry::time));
    private Instant horizon = Instant.MIN;

    public InMemoryNonceStore(Clock clock, Duration window, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.clock = clock;
        this.window = window;
        this.capacity = capacity;
    }

    @Override
    public synchronized boolean firstUse(String agentId, String nonce, Instant requestTime) {
        expire();
        if (!requestTime.isAfter(horizon)) {
            return false;
        }
        var key = agentId + "\n" + nonce;
        if (!seen.add(key)) {
            return false;
        }
        byTime.add(new Entry(key, requestTime));
        while (byTime.size() > capacity) {
            var oldest = byTime.poll();
            seen.remove(oldest.key());
            if (oldest.time().isAfter(horizon)) {
                horizon = oldest.time();
            }
        }
        return seen.contains(key);
    }

    public synchronized int size() {
        expire();
        return seen.size();
    }

    private void expire() {
        var oldestKept = clock.instant().minus(window);
        while (!byTime.isEmpty() && byTime.peek().time().isBefore(oldestKept)) {
            seen.remove(byTime.poll().key());
        }
    }
}
