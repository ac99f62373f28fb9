package io.opsbase.cmdb;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A class's lifecycle state machine: its states, the state a new CI starts in, and one transition
 * table ({@code from → allowed targets}). Invariants, checked by {@link #problems()}: the initial
 * state is one of the states, and every table entry names known states only.
 */
public record Lifecycle(String initial, List<String> states, Map<String, List<String>> transitions) {

    public Lifecycle {
        states = states == null ? List.of() : List.copyOf(states);
        Map<String, List<String>> copy = new LinkedHashMap<>();
        if (transitions != null) {
            transitions.forEach((from, to) -> copy.put(from, to == null ? List.of() : List.copyOf(to)));
        }
        transitions = java.util.Collections.unmodifiableMap(copy);
    }

    /**
     * The default: planned → in_stock → deployed → in_use ⇄ maintenance, in_use → offline →
     * retired → disposed, with the obvious returns (in_stock → planned, deployed → in_stock,
     * maintenance → offline, offline → in_use, retired → offline).
     */
    public static Lifecycle standard() {
        Map<String, List<String>> t = new LinkedHashMap<>();
        t.put("planned", List.of("in_stock"));
        t.put("in_stock", List.of("deployed", "planned"));
        t.put("deployed", List.of("in_use", "in_stock"));
        t.put("in_use", List.of("maintenance", "offline"));
        t.put("maintenance", List.of("in_use", "offline"));
        t.put("offline", List.of("in_use", "retired"));
        t.put("retired", List.of("disposed", "offline"));
        t.put("disposed", List.of());
        return new Lifecycle("planned", List.of("planned", "in_stock", "deployed", "in_use", "maintenance",
                "offline", "retired", "disposed"), t);
    }

    /** The states a CI in {@code from} may move to, in table order; empty for unknown states. */
    public List<String> allowed(String from) {
        return transitions.getOrDefault(from, List.of());
    }

    public boolean permits(String from, String to) {
        return allowed(from).contains(to);
    }

    public boolean hasState(String state) {
        return states.contains(state);
    }

    /** Everything wrong with this table, as messages; empty when it is a valid state machine. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (states.isEmpty()) {
            problems.add("states must not be empty");
        }
        for (String s : states) {
            if (s == null || !s.matches("[a-z][a-z0-9_]{0,31}")) {
                problems.add("state '" + s + "' must be 1-32 lower-case letters, digits or '_'");
            }
        }
        if (states.stream().distinct().count() != states.size()) {
            problems.add("states must be distinct");
        }
        if (initial == null || !states.contains(initial)) {
            problems.add("initial state '" + initial + "' is not one of the states");
        }
        transitions.forEach((from, targets) -> {
            if (!states.contains(from)) {
                problems.add("transition from unknown state '" + from + "'");
            }
            for (String to : targets) {
                if (!states.contains(to)) {
                    problems.add("transition " + from + " → unknown state '" + to + "'");
                } else if (to.equals(from)) {
                    problems.add("transition " + from + " → " + to + " goes nowhere");
                }
            }
        });
        return problems;
    }
}
