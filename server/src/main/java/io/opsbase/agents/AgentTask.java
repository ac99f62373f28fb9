package io.opsbase.agents;

import java.time.Instant;

/** A task sent to one agent and what came back. */
public record AgentTask(long id, long agentId, String kind, Instant createdAt, Instant deliveredAt,
        Instant completedAt, Integer exitCode, String output) {
}
