package io.opsbase.monitoring.internal;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import io.opsbase.metrics.MetricStore;
import io.opsbase.metrics.SeriesId;
import io.opsbase.metrics.SeriesKey;

/**
 * Resolves a series as received — a CI, a metric name and the labels the sender gave (without
 * {@code ci}) — to its store id, remembering the answer. The store's own lookup builds a sorted
 * key, formats its canonical text and takes the append lock; on the steady path of ingest every
 * series has been seen before, so this cache answers with one hash lookup and no label copies.
 *
 * <p>Correct because a store never reuses or forgets a series id (the series index only grows), so
 * a remembered id stays right for as long as the store is open. The cache is bounded: past
 * {@code maxEntries} it is emptied and refills from the store (slower for a moment, never wrong).
 * Thread-safe.
 */
final class SeriesIds {

    /** A series as an agent or remote-write sender names it, for one CI. Labels exclude {@code ci}. */
    private record Received(long ciId, String name, Map<String, String> labels) {
    }

    private final MetricStore store;
    private final IngestQueue.SeriesSink catalog;
    private final int maxEntries;
    private final ConcurrentHashMap<Received, SeriesId> ids = new ConcurrentHashMap<>();

    SeriesIds(MetricStore store, IngestQueue.SeriesSink catalog, int maxEntries) {
        this.store = store;
        this.catalog = catalog;
        this.maxEntries = maxEntries;
    }

    /**
     * The id of {@code name{labels…, ci="ciId"}}, created (and written to the catalog) the first
     * time. {@code labels} must not contain {@code ci} and must not change afterwards (callers
     * pass immutable maps).
     */
    SeriesId resolve(long ciId, String name, Map<String, String> labels) {
        Received received = new Received(ciId, name, labels);
        SeriesId id = ids.get(received);
        if (id != null) {
            return id;
        }
        TreeMap<String, String> withCi = new TreeMap<>(labels);
        withCi.put("ci", Long.toString(ciId));
        SeriesKey key = new SeriesKey(name, withCi);
        id = store.series(key);
        // Before caching: a series is in the catalog before any sample of it is acknowledged.
        catalog.remember(id, key, ciId);
        if (ids.size() >= maxEntries) {
            ids.clear();
        }
        ids.put(received, id);
        return id;
    }

    int size() {
        return ids.size();
    }
}
