package io.opsbase.jobs;

import java.time.Clock;
import java.util.Map;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.opsbase.agents.AgentService;
import io.opsbase.jobs.internal.FileSourceRepository;
import io.opsbase.jobs.internal.HostTaskRepository;
import io.opsbase.jobs.internal.HostTaskRow;
import io.opsbase.jobs.internal.RunEngine;
import io.opsbase.jobs.internal.RunRepository;
import io.opsbase.jobs.internal.RunRow;
import io.opsbase.platform.ConflictException;
import io.opsbase.platform.NotFoundException;
import io.opsbase.protocol.Task;

/**
 * What people do to a run once it exists: approve it (the policy asked), confirm a held step or
 * batch, cancel it. Each under the run's lock, each audited.
 */
@Service
public class RunControl {

    private final RunRepository runs;
    private final HostTaskRepository tasks;
    private final RunEngine engine;
    private final AgentService agents;
    private final ApplicationEventPublisher events;
    private final FileSourceRepository sources;
    private final Clock clock;

    RunControl(RunRepository runs, HostTaskRepository tasks, RunEngine engine, AgentService agents,
            ApplicationEventPublisher events, FileSourceRepository sources, Clock clock) {
        this.sources = sources;
        this.runs = runs;
        this.tasks = tasks;
        this.engine = engine;
        this.agents = agents;
        this.events = events;
        this.clock = clock;
    }

    /**
     * Approves a run the dangerous-command policy held. An admin may approve any run; an operator
     * only another user's ({@code approverIsAdmin} false and the same user: 409).
     */
    @Transactional
    public void approve(long runId, String actor, boolean approverIsAdmin) {
        RunRow run = lock(runId);
        if (run.state() != RunState.AWAITING_APPROVAL) {
            throw new ConflictException("run-not-awaiting-approval", "run " + runId + " is " + run.state().key()
                    + ", not awaiting approval", Map.of("state", run.state().key()));
        }
        if (!approverIsAdmin && actor.equals(run.requestedBy())) {
            throw new ConflictException("approver-is-requester",
                    "a run held by the dangerous-command policy needs another operator, or an admin, to approve it");
        }
        runs.setApprovedBy(runId, actor);
        events.publishEvent(JobEvent.run("job.run.approved", runId, "approved (policy: " + run.policySummary() + ")", actor));
        engine.changeState(run, RunState.RUNNING, null, clock.instant());
        engine.advance(runs.lock(runId).orElseThrow());
    }

    /** Lets a run held at a confirmation step, between batches or after its canary go on. */
    @Transactional
    public void confirm(long runId, String actor) {
        RunRow run = lock(runId);
        if (run.state() != RunState.AWAITING_CONFIRMATION) {
            throw new ConflictException("run-not-awaiting-confirmation", "run " + runId + " is " + run.state().key()
                    + ", not awaiting confirmation", Map.of("state", run.state().key()));
        }
        events.publishEvent(JobEvent.run("job.run.confirmed", runId, "step".equals(run.hold())
                ? "confirmed step " + (run.currentStep() + 1) : "confirmed the next batch after batch " + (run.currentBatch() + 1), actor));
        engine.passHold(run);
        engine.changeState(run, RunState.RUNNING, null, clock.instant());
        engine.advance(runs.lock(runId).orElseThrow());
    }

    /**
     * Cancels a run: hosts not started are cancelled, and every agent still running a task of it
     * gets a cancel task that kills the task's process tree (the host then reports cancelled, or
     * is marked lost after its deadline).
     */
    @Transactional
    public void cancel(long runId, String actor) {
        RunRow run = lock(runId);
        if (run.state().finished()) {
            throw new ConflictException("run-finished", "run " + runId + " already ended " + run.state().key(),
                    Map.of("state", run.state().key()));
        }
        var now = clock.instant();
        int notStarted = tasks.endPending(runId, HostTaskState.CANCELLED, now);
        int signalled = 0;
        for (HostTaskRow t : tasks.inFlightOfRun(runId)) {
            agents.send(t.agentId(), Task.CANCEL, Map.of("taskId", Long.toString(t.agentTaskId())));
            signalled++;
        }
        for (var upload : sources.uploading(runId)) {
            agents.send(upload.agentId(), Task.CANCEL, Map.of("taskId", Long.toString(upload.agentTaskId())));
            sources.failed(runId, upload.step(), "cancelled by " + actor, now);
            signalled++;
        }
        runs.setCancelledBy(runId, actor);
        events.publishEvent(JobEvent.run("job.run.cancelled", runId, "cancelled: " + notStarted
                + " hosts not started, cancel sent to " + signalled + " running", actor));
        engine.changeState(run, RunState.CANCELLED, "cancelled by " + actor, now);
    }

    private RunRow lock(long runId) {
        return runs.lock(runId).orElseThrow(() -> new NotFoundException("Run", runId));
    }
}
