package io.opsbase.agent.transport;

import io.opsbase.protocol.Problem;
import io.opsbase.protocol.signing.RejectionReason;

/** The log line for a server rejection: what was refused, why, and what the operator can do. */
public final class RejectionMessages {

    private RejectionMessages() {
    }

    public static String describe(String method, String path, int status, Problem problem) {
        var text = new StringBuilder("server rejected ").append(method).append(' ').append(path).append(": ").append(status);
        if (problem != null && problem.reason() != null) {
            text.append(' ').append(problem.reason());
        }
        if (problem != null && problem.detail() != null) {
            text.append(" - ").append(problem.detail());
        } else if (problem != null && problem.title() != null) {
            text.append(" - ").append(problem.title());
        }
        var advice = advice(problem);
        if (!advice.isEmpty()) {
            text.append(" (").append(advice).append(')');
        }
        return text.toString();
    }

    private static String advice(Problem problem) {
        if (problem == null || problem.reason() == null) {
            return "";
        }
        RejectionReason reason;
        try {
            reason = RejectionReason.valueOf(problem.reason());
        } catch (IllegalArgumentException e) {
            return "";
        }
        return switch (reason) {
            case STALE_TIMESTAMP -> problem.skewSeconds() == null
                    ? "this host's clock is off: check its time synchronisation (NTP)"
                    : "this host's clock is " + Math.abs(problem.skewSeconds()) + " s "
                            + (problem.skewSeconds() < 0 ? "behind" : "ahead of") + " the server's: check its time synchronisation (NTP)";
            case BAD_SIGNATURE -> "the secret in the state directory does not match the server's; a proxy may also have altered the request";
            case UNKNOWN_AGENT -> "the server does not know this agent: delete the state directory's agent-state.json and enroll again";
            case REVOKED_AGENT -> "an administrator revoked this agent: enroll it again with a new token";
            case REPLAYED_NONCE -> "the request was seen before; it is retried with a new nonce";
            case MISSING_HEADERS -> "the signature headers were lost on the way; check proxies between agent and server";
        };
    }
}
