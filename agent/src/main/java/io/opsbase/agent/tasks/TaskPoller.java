package io.opsbase.agent.tasks;

import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opsbase.agent.json.Messages;
import io.opsbase.agent.transport.Backoff;
import io.opsbase.agent.outbox.Outbox;
import io.opsbase.agent.transport.ServerClient;
import io.opsbase.agent.transport.ServerRejection;
import io.opsbase.protocol.AgentEndpoints;
import io.opsbase.protocol.SignedTask;
import io.opsbase.protocol.TaskOutputRequest;
import io.opsbase.protocol.TaskPollRequest;

/**
 * Holds the long-poll on {@code GET /api/v1/agent/tasks?wait=N} and runs what arrives. A task runs
 * only if its Ed25519 signature verifies against the server key pinned at enrollment, it is
 * addressed to this agent and it has not expired; anything else is logged and ignored. A task id
 * seen recently is not run twice (the server may resend one whose output it has not yet received).
 * The output goes to the outbox, so it survives a server outage and a restart. The long-poll itself
 * is the agent's heartbeat.
 */
public final class TaskPoller implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(TaskPoller.class);
    private static final int REMEMBERED_TASKS = 1_000;

    private final ServerClient client;
    private final TaskSignatures verifier;
    private final String agentId;
    private final TaskRunner runner;
    private final Outbox outbox;
    private final Clock clock;
    private final int waitSeconds;
    private final LongSupplier outboxDropped;
    private final Backoff backoff;
    private final Map<String, Boolean> recentTaskIds = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED_TASKS;
        }
    };

    public TaskPoller(ServerClient client, TaskSignatures verifier, String agentId, TaskRunner runner, Outbox outbox, Clock clock,
            int waitSeconds, Backoff backoff) {
        this.client = client;
        this.verifier = verifier;
        this.agentId = agentId;
        this.runner = runner;
        this.outbox = outbox;
        this.clock = clock;
        this.waitSeconds = waitSeconds;
        this.outboxDropped = outbox::droppedTotal;
        this.backoff = backoff;
    }

    /** One long-poll; returns how many tasks ran. */
    public int pollOnce() throws IOException, InterruptedException, ServerRejection {
        var response = client.pollTasks(new TaskPollRequest(waitSeconds, outboxDropped.getAsLong()));
        var ran = 0;
        for (var signed : response.tasks()) {
            if (accept(signed)) {
                var result = runner.run(signed.task());
                enqueueOutput(signed.task().taskId(), result);
                ran++;
            }
        }
        return ran;
    }

    private boolean accept(SignedTask signed) {
        var task = signed.task();
        if (!verifier.verify(signed)) {
            LOG.error("refusing task {} ({}): its signature does not verify against the server key pinned at enrollment",
                    task.taskId(), task.type());
            return false;
        }
        if (!agentId.equals(task.agentId())) {
            LOG.error("refusing task {}: it is addressed to agent {}, not to this agent {}", task.taskId(), task.agentId(), agentId);
            return false;
        }
        if (clock.instant().isAfter(task.expiresAt())) {
            LOG.warn("refusing task {}: it expired at {}", task.taskId(), task.expiresAt());
            return false;
        }
        synchronized (recentTaskIds) {
            if (recentTaskIds.putIfAbsent(task.taskId(), Boolean.TRUE) != null) {
                LOG.info("task {} already ran; not running it again", task.taskId());
                return false;
            }
        }
        return true;
    }

    private void enqueueOutput(String taskId, TaskResult result) throws IOException {
        var key = "task-" + taskId + "-output-0";
        var output = new TaskOutputRequest(key, taskId, 0, result.stdout(), result.stderr(), true, result.exitCode(),
                result.startedAt(), result.finishedAt());
        outbox.append(AgentEndpoints.taskOutput(taskId), key, Messages.taskOutputRequest(output));
        LOG.info("task {} finished with exit code {}", taskId, result.exitCode());
    }

    @Override
    public void run() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    pollOnce();
                    backoff.reset();
                } catch (ServerRejection e) {
                    backoff.pauseAfterFailure();
                } catch (IOException e) {
                    LOG.warn("task long-poll failed: {}", e.toString());
                    backoff.pauseAfterFailure();
                } catch (RuntimeException e) {
                    // The loop is the agent's only channel for tasks: it must outlive any single failure.
                    LOG.error("task long-poll failed unexpectedly", e);
                    backoff.pauseAfterFailure();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
