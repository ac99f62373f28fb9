package io.opsbase.agent.tasks;

import java.io.IOException;
import java.time.Clock;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opsbase.agent.transport.Backoff;
import io.opsbase.agent.outbox.Outbox;
import io.opsbase.agent.transport.ServerClient;
import io.opsbase.agent.transport.ServerRejection;
import io.opsbase.protocol.SignedTask;
import io.opsbase.protocol.TaskPollRequest;

/**
 * Holds the long-poll on {@code GET /api/v1/agent/tasks?wait=N} and hands what arrives to the
 * {@link TaskDispatcher}, which runs each task on its own thread, so the next poll goes out at once.
 * A task is handed over only if its Ed25519 signature verifies against the server key pinned at
 * enrollment, it is addressed to this agent and it has not expired; anything else is logged and
 * ignored. The dispatcher's journal makes sure a task id runs once, also across restarts (the
 * server may resend a task whose output it has not yet received). The long-poll itself is the
 * agent's heartbeat.
 */
public final class TaskPoller implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(TaskPoller.class);

    private final ServerClient client;
    private final TaskSignatures verifier;
    private final String agentId;
    private final TaskDispatcher dispatcher;
    private final Clock clock;
    private final int waitSeconds;
    private final LongSupplier outboxDropped;
    private final Backoff backoff;

    public TaskPoller(ServerClient client, TaskSignatures verifier, String agentId, TaskDispatcher dispatcher, Outbox outbox,
            Clock clock, int waitSeconds, Backoff backoff) {
        this.client = client;
        this.verifier = verifier;
        this.agentId = agentId;
        this.dispatcher = dispatcher;
        this.clock = clock;
        this.waitSeconds = waitSeconds;
        this.outboxDropped = outbox::droppedTotal;
        this.backoff = backoff;
    }

    /** One long-poll; returns how many tasks it started. */
    public int pollOnce() throws IOException, InterruptedException, ServerRejection {
        var response = client.pollTasks(new TaskPollRequest(waitSeconds, outboxDropped.getAsLong()));
        var started = 0;
        for (var signed : response.tasks()) {
            if (accept(signed) && dispatcher.submit(signed.task())) {
                started++;
            }
        }
        return started;
    }

    /**
     * Whether to run a delivered task. A task for this agent whose signature fails or that expired
     * is reported back as refused, with the reason; one addressed to another agent is only logged
     * (the server would not take this agent's report for it).
     */
    private boolean accept(SignedTask signed) throws IOException {
        var task = signed.task();
        if (!verifier.verify(signed)) {
            LOG.error("refusing task {} ({}): its signature does not verify against the server key pinned at enrollment",
                    task.taskId(), task.type());
            if (agentId.equals(task.agentId())) {
                dispatcher.refuse(task, "refused: the task's signature does not verify against the server key pinned at enrollment;"
                        + " nothing was run");
            }
            return false;
        }
        if (!agentId.equals(task.agentId())) {
            LOG.error("refusing task {}: it is addressed to agent {}, not to this agent {}", task.taskId(), task.agentId(), agentId);
            return false;
        }
        if (clock.instant().isAfter(task.expiresAt())) {
            LOG.warn("refusing task {}: it expired at {}", task.taskId(), task.expiresAt());
            dispatcher.refuse(task, "refused: the task expired at " + task.expiresAt() + " before it reached the agent; nothing was run");
            return false;
        }
        return true;
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
