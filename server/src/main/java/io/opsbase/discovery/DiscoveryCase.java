package io.opsbase.discovery;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An entry of the approval and conflict queue.
 *
 * @param kind       {@code new-host} (waiting for approval) or {@code conflict} (quarantined)
 * @param reason     for conflicts: {@code serial-changed}, {@code duplicate-identity} (two agents claim
 *                   one serial or UUID), {@code clone} (same machine-id from two live agents),
 *                   {@code ambiguous} (several CIs match), {@code contradicting-evidence}
 * @param status     {@code open}, {@code approved}, {@code rejected}, {@code merged}, {@code kept-separate}
 * @param ciId       the CI in question: the conflicting one, or the best candidate of a new host
 * @param otherAgentId the live agent already reporting for {@code ciId}
 * @param candidates every CI the evidence pointed at, best first, with score and reasons
 * @param reported   the CI attributes this host's latest inventory would write, for a side-by-side diff
 */
public record DiscoveryCase(long id, long agentId, String kind, String reason, String status, Long ciId,
        Long otherAgentId, String hostname, int score, String confidence, List<IdentityMatch> candidates,
        Map<String, Object> reported, String detail, Instant createdAt, Instant updatedAt, Instant resolvedAt,
        String resolvedBy, String resolution) {
}
