package io.opsbase.cmdb;

import java.util.ArrayList;
import java.util.Comparator;
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
 * Impact analysis on the relation graph: a breadth-first walk from one CI, one query per level.
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
 */
@Service
public class ImpactService {

    public static final int DEFAULT_DEPTH = 3;
    public static final int MAX_DEPTH = 10;
    static final String BUSINESS_SERVICE = "BusinessService";

    private final ImpactRepository graph;

    ImpactService(ImpactRepository graph) {
        this.graph = graph;
    }

    @Transactional(readOnly = true)
    public ImpactGraph analyse(long ciId, ImpactDirection direction, int depth) {
        if (depth < 1 || depth > MAX_DEPTH) {
            throw new BadRequestException("depth must be between 1 and " + MAX_DEPTH);
        }
        ImpactGraph.Node root = graph.root(ciId).orElseThrow(() -> new NotFoundException("CI", ciId));
        Map<Long, ImpactGraph.Node> reached = new LinkedHashMap<>();
        reached.put(root.id(), root);
        Set<ImpactGraph.Edge> edges = new HashSet<>();
        List<Long> frontier = List.of(root.id());
        for (int level = 1; level <= depth && !frontier.isEmpty(); level++) {
            List<Long> next = new ArrayList<>();
            for (ImpactRepository.Step step : graph.step(frontier, direction, level)) {
                edges.add(new ImpactGraph.Edge(step.sourceId(), step.targetId(), step.type()));
                if (reached.putIfAbsent(step.neighbour().id(), step.neighbour()) == null) {
                    next.add(step.neighbour().id());
                }
            }
            frontier = next;
        }
        reached.remove(root.id());
        List<ImpactGraph.Node> nodes = reached.values().stream()
                .sorted(Comparator.comparingInt(ImpactGraph.Node::depth).thenComparingLong(ImpactGraph.Node::id))
                .toList();
        List<ImpactGraph.Edge> sortedEdges = edges.stream()
                .sorted(Comparator.comparingLong(ImpactGraph.Edge::source).thenComparingLong(ImpactGraph.Edge::target)
                        .thenComparing(ImpactGraph.Edge::type))
                .toList();
        List<ImpactGraph.Node> services = new ArrayList<>();
        if (BUSINESS_SERVICE.equals(root.className())) {
            services.add(root);
        }
        nodes.stream().filter(n -> BUSINESS_SERVICE.equals(n.className())).forEach(services::add);
        return new ImpactGraph(direction, depth, root, nodes, sortedEdges, List.copyOf(services));
    }
}
