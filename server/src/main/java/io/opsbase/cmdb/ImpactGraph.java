package io.opsbase.cmdb;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The result of an impact analysis. {@code nodes} are the CIs reached (the root excluded), ordered
 * by depth then id; {@code edges} are the relations followed, in their stored orientation
 * (source → target), ordered by source, target, type; {@code businessServices} are the reached
 * CIs of class BusinessService — and the root, when it is one — in node order.
 */
public record ImpactGraph(ImpactDirection direction, int depth, Node root, List<Node> nodes, List<Edge> edges,
        List<Node> businessServices) {

    /** A CI in the graph; {@code depth} is its distance from the root (0 for the root). */
    public record Node(long id, String name, @JsonProperty("class") String className, String state, int depth) {
    }

    public record Edge(long source, long target, String type) {
    }
}
