package io.opsbase.cmdb;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.opsbase.platform.BadRequestException;
import io.opsbase.platform.NotFoundException;

/**
 * Impact analysis on the relation graph: a breadth-first walk from one CI over the in-memory
 * {@link RelationGraph}; the reached CIs' names, classes and states come from its cache, and those
 * not cached yet from one query.
 *
 * <p>Semantics. Each relation type has an {@link ImpactFlow}. Downstream of X is every CI whose
 * work depends, transitively, on X: for {@code TO_SOURCE} types (runs_on, hosted_in, depends_on,
 * connects_to) the walk goes from a relation's target to its source ("the app runs on the failed
 * server"); for {@code TO_TARGET} types (member_of, contains) from source to target ("the failed
 * member degrades its cluster"). Upstream walks the same relations the other way: what X needs.
 * Retired CIs are neither reached nor walked through.
 *
 * <p>Invariants: each CI appears once, at its shortest distance; each relation at most once (a
 * CI is expanded once); cycles end because visited CIs are not expanded again; CIs at the depth
 * limit are reported but not expanded. Output order depends only on the data.
 *
 * <p>Retired CIs are found after the walk, from the rows read for it: when some were reached, the
 * walk is repeated with them blocked. Blocking only removes paths, so the second walk reaches a
 * subset of the first and needs no further reads.
 */
@Service
public class ImpactService {

    public static final int DEFAULT_DEPTH = 3;
    public static final int MAX_DEPTH = 10;
    static final String BUSINESS_SERVICE = "BusinessService";

    private final RelationGraph graph;
    private final ImpactRepository cis;

    ImpactService(RelationGraph graph, ImpactRepository cis) {
        this.graph = graph;
        this.cis = cis;
    }

    @Transactional(readOnly = true)
    public ImpactGraph analyse(long ciId, ImpactDirection direction, int depth) {
        if (depth < 1 || depth > MAX_DEPTH) {
            throw new BadRequestException("depth must be between 1 and " + MAX_DEPTH);
        }
        RelationGraph.View view = graph.current();
        Map<Long, ImpactRepository.CiRow> rows = new HashMap<>();
        Set<Long> blocked = new HashSet<>();
        Walk walk;
        while (true) {
            walk = walk(view, ciId, direction, depth, blocked);
            List<Long> unread = new ArrayList<>();
            for (long id : walk.depths().keySet()) {
                if (!rows.containsKey(id)) {
                    ImpactRepository.CiRow cached = view.ci(id);
                    if (cached != null) {
                        rows.put(id, cached);
                    } else {
                        unread.add(id);
                    }
                }
            }
            Map<Long, ImpactRepository.CiRow> read = cis.cis(unread);
            view.remember(read.values());
            rows.putAll(read);
            if (!rows.containsKey(ciId)) {
                throw new NotFoundException("CI", ciId);
            }
            boolean newlyBlocked = false;
            for (long id : walk.depths().keySet()) {
                ImpactRepository.CiRow row = rows.get(id);
                // A retired root is still walked from, but relations leading back to it are not followed.
                if (row == null || row.retired()) {
                    newlyBlocked |= blocked.add(id);
                }
            }
            if (!newlyBlocked) {
                break;
            }
        }
        ImpactGraph.Node root = rows.get(ciId).node(0);
        List<ImpactGraph.Node> nodes = new ArrayList<>(walk.depths().size());
        walk.depths().forEach((id, d) -> {
            if (id != ciId) {
                nodes.add(rows.get(id).node(d));
            }
        });
        nodes.sort(BY_DEPTH_THEN_ID);
        List<ImpactGraph.Edge> sortedEdges = walk.edges();
        sortedEdges.sort(BY_SOURCE_TARGET_TYPE);
        List<ImpactGraph.Node> services = new ArrayList<>();
        if (BUSINESS_SERVICE.equals(root.className())) {
            services.add(root);
        }
        nodes.stream().filter(n -> BUSINESS_SERVICE.equals(n.className())).forEach(services::add);
        return new ImpactGraph(direction, depth, root, List.copyOf(nodes), List.copyOf(sortedEdges), List.copyOf(services));
    }

    private static final Comparator<ImpactGraph.Node> BY_DEPTH_THEN_ID = (a, b) -> a.depth() != b.depth()
            ? Integer.compare(a.depth(), b.depth()) : Long.compare(a.id(), b.id());
    private static final Comparator<ImpactGraph.Edge> BY_SOURCE_TARGET_TYPE = (a, b) -> a.source() != b.source()
            ? Long.compare(a.source(), b.source())
            : a.target() != b.target() ? Long.compare(a.target(), b.target()) : a.type().compareTo(b.type());

    /**
     * The CIs reached (root included, at depth 0) with their distances, and the relations followed.
     * No relation is followed twice: a CI is expanded once, and a relation is followed only from
     * the end its type's flow leads away from (its target, or its source) — so {@code edges}
     * needs no de-duplication (relations are unique per type, source and target).
     */
    private record Walk(Map<Long, Integer> depths, List<ImpactGraph.Edge> edges) {
    }

    private static Walk walk(RelationGraph.View view, long rootId,
            ImpactDirection direction, int depth, Set<Long> blocked) {
        // Downstream follows TO_SOURCE relations from target to source and TO_TARGET ones from
        // source to target; upstream the reverse.
        ImpactFlow fromTarget = direction == ImpactDirection.DOWNSTREAM ? ImpactFlow.TO_SOURCE : ImpactFlow.TO_TARGET;
        ImpactFlow fromSource = direction == ImpactDirection.DOWNSTREAM ? ImpactFlow.TO_TARGET : ImpactFlow.TO_SOURCE;
        Map<Long, Integer> depths = new LinkedHashMap<>();
        List<ImpactGraph.Edge> edges = new ArrayList<>();
        depths.put(rootId, 0);
        List<Long> frontier = List.of(rootId);
        for (int level = 1; level <= depth && !frontier.isEmpty(); level++) {
            List<Long> next = new ArrayList<>();
            for (long ci : frontier) {
                RelationGraph.Links links = view.links(ci);
                for (RelationGraph.Link in : links.incoming()) {
                    if (in.flow() == fromTarget && (blocked.isEmpty() || !blocked.contains(in.other()))) {
                        edges.add(new ImpactGraph.Edge(in.other(), ci, in.type()));
                        if (depths.putIfAbsent(in.other(), level) == null) {
                            next.add(in.other());
                        }
                    }
                }
                for (RelationGraph.Link out : links.outgoing()) {
                    if (out.flow() == fromSource && (blocked.isEmpty() || !blocked.contains(out.other()))) {
                        edges.add(new ImpactGraph.Edge(ci, out.other(), out.type()));
                        if (depths.putIfAbsent(out.other(), level) == null) {
                            next.add(out.other());
                        }
                    }
                }
            }
            frontier = next;
        }
        return new Walk(depths, edges);
    }
}
