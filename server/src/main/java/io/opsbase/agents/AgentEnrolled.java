package io.opsbase.agents;

import io.opsbase.protocol.HostFingerprint;

/** A new agent enrolled; discovery matches its fingerprint to a CI. */
public record AgentEnrolled(long agentId, HostFingerprint fingerprint, boolean autoApprove) {
}
