package io.opsbase.agents;

import io.opsbase.protocol.TaskOutputRequest;

/**
 * One output chunk an agent reported for one of its tasks, published (synchronously) before the
 * chunk is acknowledged — so a listener that fails makes the agent send it again. Published for
 * repeats too: listeners recognise a chunk they already hold by task id and sequence. The task may
 * not be this agent's; listeners match on both ids.
 */
public record AgentTaskReported(long agentId, long taskId, TaskOutputRequest output) {
}
