package io.opsbase.discovery.internal;

import java.util.List;
import java.util.function.LongPredicate;

import io.opsbase.discovery.IdentityMatch;
import io.opsbase.discovery.MatchReason;

/**
 * What to do with the report of an agent that is not bound to a CI yet, given the scored
 * candidates. Pure rules, no I/O:
 *
 * <ol>
 *   <li>several decisive matches → conflict {@code ambiguous};</li>
 *   <li>one decisive match with a CI discovery already knows:
 *     <ul>
 *       <li>another agent reports for it and is live → conflict {@code clone} (machine-id matched)
 *           or {@code duplicate-identity} (serial/UUID matched) — unless the evidence proves the
 *           same machine (machine-id and the identical, non-empty set of physical MACs), which is a
 *           re-enrollment;</li>
 *       <li>otherwise → take over the CI (an OS reinstall, a wiped agent state);</li>
 *     </ul></li>
 *   <li>one decisive match with a CI only the CMDB knows → bind to it when the token auto-approves,
 *       else queue it as a new host with that CI suggested;</li>
 *   <li>an anchored match contradicted by other evidence (serial matches, UUID differs) →
 *       conflict {@code clone} / {@code duplicate-identity} when the CI's agent is live, else
 *       {@code contradicting-evidence};</li>
 *   <li>otherwise a new host: created when the token auto-approves, else queued. Look-alikes
 *       (hostname or MACs only) are shown as candidates and never merged.</li>
 * </ol>
 */
public final class ReconciliationPolicy {

    private ReconciliationPolicy() {
    }

    public sealed interface Decision {
    }

    /** Bind to the CI and reconcile. */
    public record Adopt(IdentityMatch match, String why) implements Decision {
    }

    /** Create a CI of the default class and state, then adopt it. */
    public record Create(IdentityMatch bestLookAlike) implements Decision {
    }

    /** Put the host in the queue. */
    public record Queue(String kind, String reason, IdentityMatch subject, Long otherAgentId, String detail)
            implements Decision {
    }

    /**
     * @param otherAgentLive whether an agent (other than the reporter) is live — online and not revoked
     */
    public static Decision decide(long agentId, boolean autoApprove, List<IdentityMatch> candidates,
            LongPredicate otherAgentLive) {
        List<IdentityMatch> decisive = candidates.stream().filter(IdentityMatch::decisive).toList();
        IdentityMatch best = candidates.isEmpty() ? null : candidates.getFirst();
        if (decisive.size() > 1) {
            return new Queue(StoredCase.CONFLICT, "ambiguous", decisive.getFirst(), null, "the evidence matches "
                    + decisive.size() + " CIs: " + decisive.stream().map(m -> "CI " + m.ciId()).toList());
        }
        if (decisive.size() == 1) {
            IdentityMatch m = decisive.getFirst();
            if (!m.hasEvidenceOfKind("cmdb-record")) {
                Long other = m.agentId();
                if (other != null && other != agentId && otherAgentLive.test(other) && !sameMachine(m)) {
                    String reason = m.hasEvidence("machine-id") ? "clone" : "duplicate-identity";
                    return new Queue(StoredCase.CONFLICT, reason, m, other, "agent " + other
                            + " is live and already reports for CI " + m.ciId() + " with the same "
                            + (reason.equals("clone") ? "machine-id" : "serial or SMBIOS UUID") + ": " + explain(m));
                }
                return new Adopt(m, "matched CI " + m.ciId() + " (" + m.confidence() + ", " + m.score() + "): " + explain(m));
            }
            if (autoApprove) {
                return new Adopt(m, "auto-approved onto CI " + m.ciId() + " from the CMDB: " + explain(m));
            }
            return new Queue(StoredCase.NEW_HOST, null, m, null, "a new host; it matches CI " + m.ciId()
                    + ", which no agent reports for yet (approve with {\"ciId\": " + m.ciId() + "} to bind): " + explain(m));
        }
        IdentityMatch contradicted = candidates.stream().filter(c -> c.anchored() && c.contradicted()).findFirst().orElse(null);
        if (contradicted != null) {
            Long other = contradicted.agentId();
            if (other != null && other != agentId && otherAgentLive.test(other)) {
                String reason = contradicted.hasEvidence("machine-id") ? "clone" : "duplicate-identity";
                return new Queue(StoredCase.CONFLICT, reason, contradicted, other, "agent " + other
                        + " is live and reports for CI " + contradicted.ciId() + ", which this host partly matches: "
                        + explain(contradicted));
            }
            return new Queue(StoredCase.CONFLICT, "contradicting-evidence", contradicted, other,
                    "CI " + contradicted.ciId() + " matches on some evidence and contradicts on other: " + explain(contradicted));
        }
        if (autoApprove) {
            return new Create(best);
        }
        return new Queue(StoredCase.NEW_HOST, null, best, null, best == null ? "a new host; no CI shares its evidence"
                : "a new host; look-alikes are not merged automatically — best: CI " + best.ciId() + " ("
                        + best.confidence() + ", " + best.score() + "): " + explain(best));
    }

    /** Same OS instance on the same hardware: machine-id and every physical MAC agree, nothing contradicts. */
    static boolean sameMachine(IdentityMatch m) {
        return m.hasEvidence("machine-id") && !m.contradicted() && m.reasons().stream()
                .anyMatch(r -> r.evidence().equals("mac-set") && r.weight() == IdentityResolver.MAC_SET);
    }

    public static String explain(IdentityMatch m) {
        return String.join("; ", m.reasons().stream().map(MatchReason::detail).toList());
    }
}
