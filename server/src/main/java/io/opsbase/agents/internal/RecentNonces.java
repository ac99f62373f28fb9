package io.opsbase.agents.internal;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The nonces one server node remembers, in memory, partitioned by the second at which each stops
 * mattering ({@code expiresAt}: the request's timestamp plus the signature window, so a request
 * and its replay — the same signed bytes — always land in the same partition, on every node).
 * A partition is dropped whole once its last second has passed; until then it is an
 * open-addressing table of (agent id, nonce high 64 bits, nonce low 64 bits), 24 bytes per slot,
 * half full at most: about 50 bytes per remembered nonce, no object per entry.
 *
 * <p>Bounded: past {@code capacity} nonces {@link #add} answers {@link Outcome#FULL} and remembers
 * nothing, so the caller can refuse the request rather than forget a nonce. Only requests whose
 * signature verified reach this class, so only enrolled agents can fill it.
 *
 * <p>Thread-safe: one of a partition's tables (chosen by agent id) is locked for each add;
 * partitions are found in a concurrent map.
 */
final class RecentNonces {

    /** Width of a partition in seconds. */
    static final long PARTITION_SECONDS = 10;

    enum Outcome { FIRST_USE, SEEN, FULL }

    private final ConcurrentSkipListMap<Long, Partition> partitions = new ConcurrentSkipListMap<>();
    private final AtomicLong size = new AtomicLong();
    private final long capacity;

    RecentNonces(long capacity) {
        this.capacity = capacity;
    }

    /**
     * Records the nonce unless this agent used it before.
     *
     * @param nonce 32 lower-case hex digits (the signature verifier checked the form)
     */
    Outcome add(long agentId, String nonce, long expiresAtSecond) {
        long high = Long.parseUnsignedLong(nonce, 0, 16, 16);
        long low = Long.parseUnsignedLong(nonce, 16, 32, 16);
        Partition partition = partitions.computeIfAbsent(Math.floorDiv(expiresAtSecond, PARTITION_SECONDS), k -> new Partition());
        Table table = partition.tableOf(agentId);
        synchronized (table) {
            if (table.contains(agentId, high, low)) {
                return Outcome.SEEN;
            }
            if (size.incrementAndGet() > capacity) {
                size.decrementAndGet();
                return Outcome.FULL;
            }
            table.insert(agentId, high, low);
            return Outcome.FIRST_USE;
        }
    }

    /** Drops every partition whose last second is before {@code nowSecond}. */
    void forgetExpired(long nowSecond) {
        Iterator<Map.Entry<Long, Partition>> it = partitions.headMap(Math.floorDiv(nowSecond, PARTITION_SECONDS)).entrySet().iterator();
        while (it.hasNext()) {
            Partition p = it.next().getValue();
            it.remove();
            for (Table t : p.tables) {
                synchronized (t) {
                    size.addAndGet(-t.size);
                    t.size = 0;
                }
            }
        }
    }

    long size() {
        return size.get();
    }

    /**
     * The nonces of one partition, split by agent id over {@link #TABLES} tables with a lock each:
     * every request of the same ten seconds lands in the same partition, and with one lock for it
     * all of them (5,000 long-polls renew at ~170/s) queued on one monitor whenever the thread
     * holding it lost its CPU.
     */
    private static final class Partition {
        static final int TABLES = 16;
        final Table[] tables = new Table[TABLES];

        Partition() {
            for (int i = 0; i < TABLES; i++) {
                tables[i] = new Table();
            }
        }

        Table tableOf(long agentId) {
            return tables[(int) Math.floorMod(agentId * 0x9E3779B97F4A7C15L >>> 32, (long) TABLES)];
        }
    }

    /** An open-addressing table of (agent, high, low) triples with linear probing; agent ids are ≥ 1, so 0 marks a free slot. */
    private static final class Table {
        private long[] slots = new long[3 * 32];
        private int size;

        boolean contains(long agent, long high, long low) {
            int n = slots.length / 3;
            for (int i = index(agent, high, low, n); ; i = (i + 1) & (n - 1)) {
                long a = slots[3 * i];
                if (a == 0) {
                    return false;
                }
                if (a == agent && slots[3 * i + 1] == high && slots[3 * i + 2] == low) {
                    return true;
                }
            }
        }

        void insert(long agent, long high, long low) {
            if (2 * (size + 1) > slots.length / 3) {
                grow();
            }
            put(slots, agent, high, low);
            size++;
        }

        private void grow() {
            long[] bigger = new long[slots.length * 2];
            for (int i = 0; i < slots.length; i += 3) {
                if (slots[i] != 0) {
                    put(bigger, slots[i], slots[i + 1], slots[i + 2]);
                }
            }
            slots = bigger;
        }

        private static void put(long[] table, long agent, long high, long low) {
            int n = table.length / 3;
            int i = index(agent, high, low, n);
            while (table[3 * i] != 0) {
                i = (i + 1) & (n - 1);
            }
            table[3 * i] = agent;
            table[3 * i + 1] = high;
            table[3 * i + 2] = low;
        }

        private static int index(long agent, long high, long low, int n) {
            long h = (high ^ Long.rotateLeft(low, 21) ^ agent * 0x9E3779B97F4A7C15L) * 0xBF58476D1CE4E5B9L;
            return (int) (h ^ (h >>> 31)) & (n - 1);
        }
    }
}
