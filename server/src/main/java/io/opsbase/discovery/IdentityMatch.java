package io.opsbase.discovery;

import java.util.List;

/**
 * How well an inventory matches one CI, explained. A match is accepted automatically only when it
 * is {@link #decisive()}: anchored on evidence that identifies one machine (agent binding, SMBIOS
 * UUID, serial number, machine-id), scoring at least {@link #MATCH_THRESHOLD}, and not contradicted
 * by other evidence. MACs and hostname only add confidence; alone they never merge hosts.
 *
 * @param agentId the agent currently reporting for the CI, null when none
 */
public record IdentityMatch(long ciId, int score, String confidence, boolean anchored, boolean contradicted,
        List<MatchReason> reasons, Long agentId) {

    public static final int MATCH_THRESHOLD = 50;

    public IdentityMatch {
        reasons = List.copyOf(reasons);
    }

    public boolean decisive() {
        return anchored && !contradicted && score >= MATCH_THRESHOLD;
    }

    public boolean hasEvidence(String evidence) {
        return reasons.stream().anyMatch(r -> r.evidence().equals(evidence) && r.weight() > 0);
    }

    /** Whether a reason of this kind is present, whatever its weight. */
    public boolean hasEvidenceOfKind(String evidence) {
        return reasons.stream().anyMatch(r -> r.evidence().equals(evidence));
    }

    /** {@code high} ≥ 80, {@code medium} ≥ 50, else {@code low}. */
    public static String confidenceOf(int score) {
        return score >= 80 ? "high" : score >= MATCH_THRESHOLD ? "medium" : "low";
    }
}
