package io.opsbase.jobs.policy;

import java.util.List;

/** The strictest verdict over all matching rules, with every match that led to it. */
public record PolicyDecision(Verdict verdict, List<PolicyMatch> matches) {

    public PolicyDecision {
        matches = List.copyOf(matches);
    }
}
