package io.opsbase.protocol.signing;

import java.util.Optional;

/** The server's lookup of agent secrets, by agent id. */
@FunctionalInterface
public interface AgentCredentials {

    Optional<AgentCredential> find(String agentId);
}
