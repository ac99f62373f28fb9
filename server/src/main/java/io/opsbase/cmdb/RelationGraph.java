package io.opsbase.cmdb;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;

import org.springframework.stereotype.Component;

import io.opsbase.cmdb.internal.GraphChangeLog;
import io.opsbase.cmdb.internal.GraphChangeLog.Change;
import io.opsbase.cmdb.internal.GraphChangeLog.Kind;

/**
 * The relation graph held in memory for impact analysis: per CI, the relations that start from it
 * and those that end at it, and the name, class, state and retirement of the CIs walks have
 * reached. 300,000 relations take a few tens of MB, and a depth-5 walk over thousands of CIs takes
 * well under a millisecond instead of one database round trip per level.
 *
 * <p>Freshness. Every relation insert and delete, and every change of a CI's name, state or
 * retirement, also appends a row to the {@link GraphChangeLog} in its own transaction.
 * {@link #current()} reads the rows after the last one applied — one indexed range read, usually
 * empty — and applies them (a changed CI is dropped from the cache and read again when next
 * reached), so several servers on one database stay in step without talking to each other.
 * Change ids come from an identity column, so a transaction that took a lower id can commit after
 * one with a higher id: an id missing below the highest one seen is a gap, read again (by id) on
 * every refresh until it appears or {@link #GAP_TIMEOUT} has passed (its transaction rolled back). Applying a change is keyed by
 * relation id and idempotent (adding a present relation or removing an absent one does nothing),
 * so reading a change twice is harmless. As a backstop against a writer slower than the gap
 * timeout, the graph is reloaded whole every {@link #RELOAD_EVERY}.
 *
 * <p>Changes made by the calling transaction itself are not yet committed: they are laid over the
 * shared graph for that caller's walk only ({@link View}), never applied to it, and CIs it changed
 * are read from the database, never cached. A CI row read from the database is cached only if no
 * change was applied since the walk's view was taken ({@link View#remember}), so a read that raced
 * with a change never leaves a stale row behind.
 *
 * <p>Thread safety: refreshes are serialised by a lock; walks run without it. Each CI's relations
 * are an immutable {@link Links} value replaced whole, so a walk sees a CI's relations from before
 * or after a change, never half of one.
 */
@Component
class RelationGraph {

    static final Duration GAP_TIMEOUT = Duration.ofMinutes(5);
    static final Duration RELOAD_EVERY = Duration.ofHours(1);
    /** More open gaps than this (an identity jump) are read as a range instead of by id. */
    private static final int MAX_GAPS_READ = 500;

    private final RelationRepository relations;
    private final GraphChangeLog changes;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    /** CI rows walks have reached, by id; dropped when the log says the CI changed. */
    private final java.util.concurrent.ConcurrentHashMap<Long, ImpactRepository.CiRow> cis = new java.util.concurrent.ConcurrentHashMap<>();
    /** Bumped whenever cached CI rows are dropped: rows read before a bump are not cached. */
    private volatile long invalidations;

    // Guarded by lock.
    private Adjacency adjacency;
    private Instant loadedAt;
    /** Every change id up to this one has been applied or given up on. */
    private long watermark;
    /** Change ids above the watermark already applied. */
    private final Set<Long> appliedAbove = new HashSet<>();
    /** Change ids above the watermark not seen yet, with when each was first missed. */
    private final Map<Long, Instant> gaps = new HashMap<>();
    /** The highest change id applied; every id between the watermark and it is applied or a gap. */
    private long highestSeen;

    RelationGraph(RelationRepository relations, GraphChangeLog changes, Clock clock) {
        this.relations = relations;
        this.changes = changes;
        this.clock = clock;
    }

    /** One relation as seen from one of its ends, with its type's flow (null for a type unknown at load: never followed). */
    record Link(long relationId, String type, ImpactFlow flow, long other) {
    }

    /** A CI's relations: those it is the source of, and those it is the target of. */
    record Links(Link[] outgoing, Link[] incoming) {

        static final Links NONE = new Links(new Link[0], new Link[0]);

        Links plusOutgoing(Link link) {
            return contains(outgoing, link.relationId()) ? this : new Links(append(outgoing, link), incoming);
        }

        Links plusIncoming(Link link) {
            return contains(incoming, link.relationId()) ? this : new Links(outgoing, append(incoming, link));
        }

        Links minus(long relationId) {
            return new Links(without(outgoing, relationId), without(incoming, relationId));
        }

        private static boolean contains(Link[] links, long relationId) {
            for (Link l : links) {
                if (l.relationId() == relationId) {
                    return true;
                }
            }
            return false;
        }

        private static Link[] append(Link[] links, Link link) {
            Link[] grown = java.util.Arrays.copyOf(links, links.length + 1);
            grown[links.length] = link;
            return grown;
        }

        private static Link[] without(Link[] links, long relationId) {
            return contains(links, relationId)
                    ? java.util.Arrays.stream(links).filter(l -> l.relationId() != relationId).toArray(Link[]::new)
                    : links;
        }
    }

    /** What a walk reads: the shared graph, with the caller's own uncommitted changes laid over it. */
    final class View {

        private final Adjacency shared;
        private final Map<Long, Links> overlay;
        private final Set<Long> ownChangedCis;
        private final long epoch;

        View(Adjacency shared, Map<Long, Links> overlay, Set<Long> ownChangedCis, long epoch) {
            this.shared = shared;
            this.overlay = overlay;
            this.ownChangedCis = ownChangedCis;
            this.epoch = epoch;
        }

        Links links(long ciId) {
            Links own = overlay.get(ciId);
            return own != null ? own : shared.links(ciId);
        }

        /** The cached row of a CI, or null: read it from the database and {@link #remember} it. */
        ImpactRepository.CiRow ci(long ciId) {
            return !ownChangedCis.isEmpty() && ownChangedCis.contains(ciId) ? null : cis.get(ciId);
        }

        /** Caches rows read from the database since this view was taken, unless a change came in between. */
        void remember(Collection<ImpactRepository.CiRow> rows) {
            lock.lock();
            try {
                if (invalidations == epoch) {
                    rows.stream().filter(r -> !ownChangedCis.contains(r.id())).forEach(r -> cis.put(r.id(), r));
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /** The graph as of now: every committed change applied, the calling transaction's own laid over it. */
    View current() {
        lock.lock();
        try {
            Instant now = clock.instant();
            if (adjacency == null || loadedAt.plus(RELOAD_EVERY).isBefore(now)) {
                load(now);
            }
            return refresh(now);
        } finally {
            lock.unlock();
        }
    }

    private void load(Instant now) {
        // Changes older than the gap timeout are in the relations read below; newer ones are read
        // again by the refresh that follows, and applying them twice is harmless.
        long floor = changes.lastBefore(now.minus(GAP_TIMEOUT));
        Map<String, ImpactFlow> flows = new HashMap<>();
        relations.types().forEach(t -> flows.put(t.name(), t.impactFlow()));
        Adjacency loaded = new Adjacency(flows);
        relations.forEachRelation(loaded::bulkAdd);
        loaded.sealBulk();
        Set<Long> own = GraphChangeLog.uncommitted();
        if (!own.isEmpty()) {
            // The calling transaction sees its own uncommitted relation changes in what was just
            // read; the shared graph must not hold them (the refresh lays them over for the caller).
            for (Change c : changes.in(own)) {
                if (c.kind() != Kind.CI_CHANGED) {
                    loaded.apply(new Change(c.id(), c.kind() == Kind.RELATION_ADDED ? Kind.RELATION_REMOVED : Kind.RELATION_ADDED,
                            c.ciId(), c.relationId(), c.type(), c.targetId()));
                }
            }
        }
        adjacency = loaded;
        cis.clear();
        invalidations++;
        loadedAt = now;
        watermark = floor;
        highestSeen = floor;
        appliedAbove.clear();
        gaps.clear();
    }

    /** Applies committed changes after the watermark; returns a view with this transaction's own laid over. */
    private View refresh(Instant now) {
        Set<Long> own = GraphChangeLog.uncommitted();
        List<Change> ownChanges = new ArrayList<>();
        Set<Long> ownChangedCis = new HashSet<>();
        // Normally one read of what is new; while gaps are open, also a read of just those ids
        // (rather than everything after the watermark, which can be minutes of changes).
        List<Change> read = new ArrayList<>(changes.after(Math.max(watermark, highestSeen)));
        if (!gaps.isEmpty()) {
            read.addAll(gaps.size() <= MAX_GAPS_READ ? changes.in(gaps.keySet()) : changes.after(watermark));
        }
        long highest = Math.max(watermark, highestSeen);
        for (Change change : read) {
            if (own.contains(change.id())) {
                if (change.kind() == Kind.CI_CHANGED) {
                    ownChangedCis.add(change.ciId());
                } else {
                    ownChanges.add(change);
                }
                continue;
            }
            if (appliedAbove.add(change.id())) {
                if (change.kind() == Kind.CI_CHANGED) {
                    cis.remove(change.ciId());
                    invalidations++;
                } else {
                    adjacency.apply(change);
                }
            }
            highest = Math.max(highest, change.id());
            gaps.remove(change.id());
        }
        for (long id = Math.max(watermark, highestSeen) + 1; id < highest; id++) {
            if (!appliedAbove.contains(id)) {
                gaps.putIfAbsent(id, now);
            }
        }
        highestSeen = highest;
        while (true) {
            long next = watermark + 1;
            if (appliedAbove.remove(next)) {
                watermark = next;
            } else if (gaps.containsKey(next) && gaps.get(next).plus(GAP_TIMEOUT).isBefore(now)) {
                gaps.remove(next);
                watermark = next;
            } else {
                break;
            }
        }
        return new View(adjacency, overlay(ownChanges), ownChangedCis, invalidations);
    }

    private Map<Long, Links> overlay(List<Change> ownChanges) {
        if (ownChanges.isEmpty()) {
            return Map.of();
        }
        Map<Long, Links> overlay = new TreeMap<>();
        Map<String, ImpactFlow> flows = adjacency.flows;
        for (Change c : ownChanges) {
            Links source = overlay.getOrDefault(c.ciId(), adjacency.links(c.ciId()));
            Links target = overlay.getOrDefault(c.targetId(), adjacency.links(c.targetId()));
            if (c.kind() == Kind.RELATION_ADDED) {
                overlay.put(c.ciId(), source.plusOutgoing(new Link(c.relationId(), c.type(), flows.get(c.type()), c.targetId())));
                overlay.put(c.targetId(), target.plusIncoming(new Link(c.relationId(), c.type(), flows.get(c.type()), c.ciId())));
            } else {
                overlay.put(c.ciId(), source.minus(c.relationId()));
                overlay.put(c.targetId(), target.minus(c.relationId()));
            }
        }
        return overlay;
    }

    /** Per CI, its {@link Links}; each value is replaced whole on a change, never modified. */
    static final class Adjacency {

        private final java.util.concurrent.ConcurrentHashMap<Long, Links> byCi = new java.util.concurrent.ConcurrentHashMap<>();
        /** Relation types are seeded by migration and never change at run time. */
        private final Map<String, ImpactFlow> flows;
        private Map<Long, List<Link>[]> bulk = new HashMap<>();

        Adjacency(Map<String, ImpactFlow> flows) {
            this.flows = Map.copyOf(flows);
        }

        Links links(long ciId) {
            return byCi.getOrDefault(ciId, Links.NONE);
        }

        /** Collects one stored relation during a load; {@link #sealBulk()} turns them into {@link Links}. */
        @SuppressWarnings("unchecked")
        void bulkAdd(long relationId, String type, long sourceId, long targetId) {
            bulk.computeIfAbsent(sourceId, k -> new List[] {new ArrayList<>(), new ArrayList<>()})[0]
                    .add(new Link(relationId, type, flows.get(type), targetId));
            bulk.computeIfAbsent(targetId, k -> new List[] {new ArrayList<>(), new ArrayList<>()})[1]
                    .add(new Link(relationId, type, flows.get(type), sourceId));
        }

        void sealBulk() {
            bulk.forEach((ci, lists) -> byCi.put(ci, new Links(lists[0].toArray(Link[]::new), lists[1].toArray(Link[]::new))));
            bulk = null;
        }

        void apply(Change c) {
            if (c.kind() == Kind.RELATION_ADDED) {
                byCi.compute(c.ciId(), (k, v) -> (v == null ? Links.NONE : v)
                        .plusOutgoing(new Link(c.relationId(), c.type(), flows.get(c.type()), c.targetId())));
                byCi.compute(c.targetId(), (k, v) -> (v == null ? Links.NONE : v)
                        .plusIncoming(new Link(c.relationId(), c.type(), flows.get(c.type()), c.ciId())));
            } else {
                byCi.computeIfPresent(c.ciId(), (k, v) -> v.minus(c.relationId()));
                byCi.computeIfPresent(c.targetId(), (k, v) -> v.minus(c.relationId()));
            }
        }
    }
}
