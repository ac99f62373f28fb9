package io.opsbase.discovery;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The body of approve, merge and keep-separate. Approve with {@code class} (and optionally
 * {@code state}) to create a new CI, or with {@code ciId} to bind the host to an existing one;
 * merge may name the {@code ciId} among the case's candidates; keep-separate takes {@code class}
 * and {@code state}. Every field is optional.
 */
public record CaseDecision(@JsonProperty("class") String className, String state, Long ciId, String reason) {

    public static CaseDecision none() {
        return new CaseDecision(null, null, null, null);
    }
}
