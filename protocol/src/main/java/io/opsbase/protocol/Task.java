package io.opsbase.protocol;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A unit of work for one agent. The agent runs it only if the server's Ed25519 signature over
 * {@link io.opsbase.protocol.signing.TaskSigner#canonical canonical form} verifies, {@code agentId}
 * is its own and {@code expiresAt} has not passed — so a task captured for one host or replayed
 * later does nothing.
 */
public record Task(String taskId, String agentId, String type, Map<String, String> parameters, Instant issuedAt, Instant expiresAt) {

    /** The no-op task that proves the channel: answered with output {@code pong} and exit code 0. */
    public static final String PING = "ping";

    public Task {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
    }
}
