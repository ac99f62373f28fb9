package io.opsbase.jobs.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

import io.opsbase.agents.AgentInfo;
import io.opsbase.agents.AgentService;
import io.opsbase.cmdb.ChangeContext;
import io.opsbase.cmdb.CiHistory;
import io.opsbase.jobs.HostTaskState;
import io.opsbase.jobs.JobDefinition;
import io.opsbase.jobs.JobEvent;
import io.opsbase.jobs.JobRunFinished;
import io.opsbase.jobs.JobStep;
import io.opsbase.jobs.JobsProperties;
import io.opsbase.jobs.RunState;
import io.opsbase.jobs.Strategy;
import io.opsbase.jobs.internal.FileSourceRepository.FileSourceRow;
import io.opsbase.protocol.Task;
import io.opsbase.protocol.TaskOutputRequest;

/**
 * Moves runs forward: creates each step's host tasks, dispatches batches within the concurrency
 * limit, applies the failure policy, holds for confirmations and pauses, and ends the run.
 *
 * <p>Every method runs inside the caller's transaction with the run's row locked
 * ({@link RunRepository#lock}); that lock serialises everything that touches one run — reports
 * from many agents, the sweeper, cancel and confirm — so no task is dispatched twice and no batch
 * is skipped. {@link #advance} is idempotent: calling it again with nothing changed does nothing.
 * One exception, for throughput: the results of a run whose hosts are independent are taken under
 * each task's row lock only (see {@link #takesResultsInParallel}); the run's lock is still what
 * moves that run on.
 */
@Component
public class RunEngine {

    private static final List<String> PENDING = List.of(HostTaskState.PENDING.key());
    private static final List<String> IN_FLIGHT = List.of(HostTaskState.DISPATCHED.key(), HostTaskState.RUNNING.key());
    private static final List<String> FAILURES = java.util.Arrays.stream(HostTaskState.values()).filter(HostTaskState::failure)
            .map(HostTaskState::key).toList();

    private final RunRepository runs;
    private final HostTaskRepository tasks;
    private final OutputRepository output;
    private final AgentService agents;
    private final CiHistory history;
    private final ParameterBinder parameters;
    private final RunStream stream;
    private final ApplicationEventPublisher events;
    private final JobsProperties properties;
    private final SourceUploads uploads;
    private final Clock clock;
    /** A transaction of its own, for moving a run on after a result's transaction committed. */
    private final TransactionTemplate afterwards;

    RunEngine(RunRepository runs, HostTaskRepository tasks, OutputRepository output, AgentService agents,
            CiHistory history, ParameterBinder parameters, RunStream stream, ApplicationEventPublisher events,
            JobsProperties properties, SourceUploads uploads, Clock clock, PlatformTransactionManager transactions) {
        this.uploads = uploads;
        this.runs = runs;
        this.tasks = tasks;
        this.output = output;
        this.agents = agents;
        this.history = history;
        this.parameters = parameters;
        this.stream = stream;
        this.events = events;
        this.properties = properties;
        this.clock = clock;
        this.afterwards = new TransactionTemplate(transactions);
        this.afterwards.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void advance(RunRow locked) {
        if (locked.state() != RunState.RUNNING) {
            return;
        }
        JobDefinition plan = JobJson.read(locked.plan(), JobDefinition.class);
        Strategy strategy = plan.strategy();
        int step = locked.currentStep();
        int batch = locked.currentBatch();
        Instant resumeAt = locked.resumeAt();
        Instant now = clock.instant();
        while (true) {
            JobStep s = plan.steps().get(step);
            if ("confirm".equals(s.kind())) {
                runs.setPosition(locked.id(), step, 0, "step", null);
                changeState(locked, RunState.AWAITING_CONFIRMATION, null, now);
                return;
            }
            if (s.file() != null && s.file().fromHost()) {
                int at = step;
                if (!uploads.stored(locked, step, s, now, failure -> failStepBySource(locked, at, failure, now))) {
                    return; // the source host's upload is out (or failed, and with it the run)
                }
            }
            if (!tasks.stepCreated(locked.id(), step)) {
                createStep(locked.id(), plan, step);
            }
            // Called after every host's result: each question below is answered from the
            // (run, step, state, batch) index, not by counting the step (see HostTaskRepository).
            if (strategy.stopAbovePercent() != null) {
                int failed = tasks.countStates(locked.id(), step, FAILURES);
                if (failed > 0) {
                    int total = tasks.stepSize(locked.id(), step);
                    if (strategy.stopsAt(failed, total)) {
                        stopByPolicy(locked, step, failed, total, strategy, now);
                        return;
                    }
                }
            }
            if (tasks.any(locked.id(), step, batch, PENDING)) {
                boolean limited = strategy.limit() != Integer.MAX_VALUE;
                int inFlight = limited ? tasks.countStates(locked.id(), step, IN_FLIGHT) : 0;
                int room = limited ? strategy.limit() - inFlight : Integer.MAX_VALUE;
                if (room <= 0) {
                    return;
                }
                int sent = dispatch(locked, plan, step, tasks.pending(locked.id(), step, batch, room));
                if (sent > 0 || inFlight > 0 || (!limited && tasks.any(locked.id(), step, null, IN_FLIGHT))) {
                    return;
                }
                continue; // every host of the slice failed at once (no agent): look again
            }
            if (tasks.any(locked.id(), step, null, IN_FLIGHT)) {
                return;
            }
            if (batch < tasks.maxBatch(locked.id(), step)) {
                if (strategy.confirmBefore(batch + 1)) {
                    runs.setPosition(locked.id(), step, batch, "batch", null);
                    changeState(locked, RunState.AWAITING_CONFIRMATION, null, now);
                    return;
                }
                if (strategy.pauseBetweenBatches()) {
                    if (resumeAt == null) {
                        runs.setPosition(locked.id(), step, batch, null, now.plusSeconds(strategy.pauseSeconds()));
                        return;
                    }
                    if (now.isBefore(resumeAt)) {
                        return;
                    }
                    resumeAt = null;
                }
                batch++;
                runs.setPosition(locked.id(), step, batch, null, null);
                continue;
            }
            if (step + 1 < plan.steps().size()) {
                step++;
                batch = 0;
                runs.setPosition(locked.id(), step, batch, null, null);
                continue;
            }
            finish(locked, now);
            return;
        }
    }

    /** After a confirmation: past the confirmation step, or on to the next batch. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void passHold(RunRow locked) {
        if ("step".equals(locked.hold())) {
            runs.setPosition(locked.id(), locked.currentStep() + 1, 0, null, null);
        } else {
            runs.setPosition(locked.id(), locked.currentStep(), locked.currentBatch() + 1, null, null);
        }
    }

    private void createStep(long runId, JobDefinition plan, int step) {
        int previous = step - 1;
        while (previous >= 0 && "confirm".equals(plan.steps().get(previous).kind())) {
            previous--;
        }
        List<Long> hosts = previous < 0 ? runs.hosts(runId) : tasks.succeededIn(runId, previous);
        List<HostTaskRepository.NewTask> rows = new java.util.ArrayList<>(hosts.size());
        for (int i = 0; i < hosts.size(); i++) {
            rows.add(new HostTaskRepository.NewTask(hosts.get(i), plan.strategy().batchOf(i, hosts.size()), i));
        }
        tasks.insertStep(runId, step, previous, rows);
    }

    /** Sends a slice of pending tasks to their agents; returns how many went in flight. */
    private int dispatch(RunRow run, JobDefinition plan, int step, List<HostTaskRow> slice) {
        JobStep s = plan.steps().get(step);
        Map<Long, AgentInfo> bound = agents.boundTo(slice.stream().map(HostTaskRow::ciId).toList());
        Map<String, String> values = parameters.unseal(plan.parameters(), JobJson.readStrings(run.parameters()));
        boolean sensitive = plan.parameters().stream().anyMatch(p -> p.secret());
        Instant now = clock.instant();
        Instant deadline = now.plusSeconds(s.timeout()).plus(properties.lostGrace());
        List<HostTaskRow> sending = new java.util.ArrayList<>(slice.size());
        List<AgentService.TaskOrder> orders = new java.util.ArrayList<>(slice.size());
        Map<String, String> taskParameters = taskParameters(uploads.resolved(run.id(), step, s), values);
        for (HostTaskRow t : slice) {
            AgentInfo agent = bound.get(t.ciId());
            if (agent == null) {
                tasks.finish(t.id(), HostTaskState.FAILED, null, "no-agent", false, null, 0, null, now);
                ended(run, t, HostTaskState.FAILED, null);
                continue;
            }
            sending.add(t);
            orders.add(new AgentService.TaskOrder(agent.id(), taskParameters));
        }
        // One batch for the whole slice: the tasks signed and stored, one audit record, the polls woken on commit.
        List<Long> taskIds = agents.sendAll(taskType(s), orders, sensitive, "for job run " + run.id() + ", step " + (step + 1));
        tasks.dispatchedAll(sending.stream().map(HostTaskRow::id).toList(), orders.stream().map(AgentService.TaskOrder::agentId).toList(),
                taskIds, now, deadline);
        for (HostTaskRow t : sending) {
            stream.publish(run.id(), "host", Map.of("ciId", t.ciId(), "step", step, "state", "dispatched"));
        }
        return sending.size();
    }

    /**
     * The source host's agent reported the end of its upload: stored, the step's hosts go out;
     * failed, the step and so the run fail, saying why; a repeat changes nothing.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void sourceReported(RunRow locked, FileSourceRow source, TaskOutputRequest last) {
        apply(locked, source.step(), uploads.reported(locked, source, last));
    }

    /** The source's agent did not report within the step timeout plus grace. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void sourceLost(RunRow locked, FileSourceRow source) {
        apply(locked, source.step(), uploads.lost(locked, source));
    }

    private void apply(RunRow locked, int step, SourceUploads.Change change) {
        if (!change.changed()) {
            return;
        }
        if (change.failure() != null) {
            failStepBySource(locked, step, change.failure(), clock.instant());
        } else {
            advance(locked);
        }
    }

    /** Every host of the step fails with outcome source-failed, and the run fails saying why. */
    private void failStepBySource(RunRow run, int step, String message, Instant now) {
        if (runs.find(run.id()).orElseThrow().state() != RunState.RUNNING) {
            return; // cancelled meanwhile
        }
        JobDefinition plan = JobJson.read(run.plan(), JobDefinition.class);
        if (!tasks.stepCreated(run.id(), step)) {
            createStep(run.id(), plan, step);
        }
        tasks.failPending(run.id(), step, "source-failed", now);
        events.publishEvent(JobEvent.run("job.file.source-failed", run.id(), "step " + (step + 1) + ": " + message, "system"));
        changeState(run, RunState.FAILED, "step " + (step + 1) + " failed: " + message, now);
    }

    private static String taskType(JobStep s) {
        return "file".equals(s.kind()) ? Task.FILE : Task.SCRIPT;
    }

    private Map<String, String> taskParameters(JobStep s, Map<String, String> values) {
        Map<String, String> p = new LinkedHashMap<>();
        if ("file".equals(s.kind())) {
            var f = s.file();
            p.put("sha256", f.sha256());
            p.put("size", Long.toString(f.size() == null ? 0 : f.size()));
            p.put("path", f.path());
            putIf(p, "mode", f.mode());
            putIf(p, "owner", f.owner());
            putIf(p, "group", f.group());
            return p;
        }
        p.put("language", s.language());
        p.put("script", ParameterBinder.render(s.script(), values));
        p.put("timeoutSeconds", Integer.toString(s.timeout()));
        p.put("maxOutputBytes", Long.toString(properties.maxOutput().toBytes()));
        return p;
    }

    private static void putIf(Map<String, String> p, String key, String value) {
        if (value != null && !value.isBlank()) {
            p.put(key, value);
        }
    }

    /**
     * The agent's last chunk arrived: ends the task as the agent says (exit code, timed-out,
     * cancelled, refused) unless it already ended (lost), and moves the run on.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void complete(RunRow locked, HostTaskRow task, TaskOutputRequest last) {
        completeTask(locked, task, last, null, true);
    }

    /**
     * Whether a run with this strategy takes its hosts' results in parallel, without its lock: no
     * concurrency limit (nothing waits for a result to be dispatched) and no failure policy
     * (nothing counts failures). Its run moves on only when nothing of the step is in flight.
     */
    public static boolean takesResultsInParallel(Strategy strategy) {
        return strategy.limit() == Integer.MAX_VALUE && strategy.stopAbovePercent() == null;
    }

    /**
     * As {@link #complete(RunRow, HostTaskRow, TaskOutputRequest)}; {@code onlyChunk}, when not
     * null, is the task's whole output as stored. With {@code runLocked} false the caller holds
     * only the task's row lock (see {@link #takesResultsInParallel}) and must call
     * {@link #advanceIfIdle} once its transaction has committed when this returns true (the task
     * ended).
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public boolean complete(RunRow run, HostTaskRow task, TaskOutputRequest last, OutputRepository.Chunk onlyChunk,
            boolean runLocked) {
        return completeTask(run, task, last, onlyChunk, runLocked);
    }

    /**
     * After a result taken in parallel (see {@link #takesResultsInParallel}) has committed: moves
     * the run on, in a transaction of its own under the run's lock, when nothing of the step is in
     * flight any more. The caller must hold no transaction (and so no pooled connection) — one
     * thread holding a connection while taking a second deadlocks the pool under load. Of two last
     * results committing at once, the one checking second sees both.
     */
    public void advanceIfIdle(long runId, int step) {
        afterwards.executeWithoutResult(s -> {
            if (!tasks.any(runId, step, null, IN_FLIGHT)) {
                runs.lock(runId).ifPresent(this::advance);
            }
        });
    }

    /** Ends the task; true when this call ended it (not a repeat, not already lost). */
    private boolean completeTask(RunRow locked, HostTaskRow task, TaskOutputRequest last, OutputRepository.Chunk onlyChunk,
            boolean runLocked) {
        String outcome = last.outcome() == null ? TaskOutputRequest.OUTCOME_EXITED : last.outcome();
        HostTaskState state = switch (outcome) {
            case TaskOutputRequest.OUTCOME_EXITED -> last.exitCode() != null && last.exitCode() == 0
                    ? HostTaskState.SUCCEEDED : HostTaskState.FAILED;
            case TaskOutputRequest.OUTCOME_TIMED_OUT -> HostTaskState.TIMED_OUT;
            case TaskOutputRequest.OUTCOME_CANCELLED -> HostTaskState.CANCELLED;
            default -> HostTaskState.FAILED;
        };
        // The hash covers the whole stdout and the whole stderr, not how the agent cut them into chunks.
        MessageDigest out = sha256();
        MessageDigest err = sha256();
        long bytes = 0;
        for (var c : onlyChunk != null ? List.of(onlyChunk) : output.chunks(task.id())) {
            byte[] o = c.stdout() == null ? new byte[0] : c.stdout().getBytes(StandardCharsets.UTF_8);
            byte[] e = c.stderr() == null ? new byte[0] : c.stderr().getBytes(StandardCharsets.UTF_8);
            out.update(o);
            err.update(e);
            bytes += o.length + e.length;
        }
        MessageDigest both = sha256();
        both.update(out.digest());
        both.update(err.digest());
        String hash = HexFormat.of().formatHex(both.digest());
        Instant now = clock.instant();
        boolean truncated = task.truncated() || last.truncated();
        if (tasks.finish(task.id(), state, last.exitCode(), outcome, truncated, hash, bytes, last.startedAt(), now)) {
            ended(locked, task, state, last.exitCode());
            if (runLocked) {
                advance(locked);
            }
            return true;
        }
        return false;
    }

    /** Tasks past their deadline: the agent vanished, restarted or never polled. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void lose(RunRow locked, HostTaskRow task) {
        if (tasks.lose(task.id(), clock.instant())) {
            ended(locked, task, HostTaskState.LOST, null);
            advance(locked);
        }
    }

    private void ended(RunRow run, HostTaskRow task, HostTaskState state, Integer exitCode) {
        Map<String, Object> after = new LinkedHashMap<>();
        after.put("run", run.id());
        after.put("step", task.step());
        after.put("state", state.key());
        after.put("exitCode", exitCode);
        history.record(task.ciId(), "job", "job:" + run.id(), null, after,
                new ChangeContext(run.requestedBy(), "job:" + run.id(), run.name()));
        Map<String, Object> event = new LinkedHashMap<>(after);
        event.put("ciId", task.ciId());
        stream.publish(run.id(), "host", event);
    }

    private void stopByPolicy(RunRow run, int step, int failed, int total, Strategy strategy, Instant now) {
        int skipped = tasks.endPending(run.id(), HostTaskState.SKIPPED, now);
        String outcome = "stopped by the failure policy: " + failed + " of " + total + " hosts failed in step "
                + (step + 1) + " (more than " + strategy.stopAbovePercent() + "%); " + skipped + " hosts skipped";
        events.publishEvent(JobEvent.run("job.run.policy-stopped", run.id(), outcome, "system"));
        changeState(run, RunState.FAILED, outcome, now);
    }

    private void finish(RunRow run, Instant now) {
        Map<String, Integer> counts = tasks.latestCounts(run.id());
        int succeeded = counts.getOrDefault("succeeded", 0);
        RunState end = succeeded == run.hostCount() ? RunState.SUCCEEDED : RunState.FAILED;
        changeState(run, end, succeeded + " of " + run.hostCount() + " hosts succeeded", now);
    }

    /** The one place a run's state changes; refuses what the transition table forbids. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void changeState(RunRow run, RunState to, String outcome, Instant now) {
        RunState from = runs.find(run.id()).orElseThrow().state();
        if (!from.canBecome(to)) {
            throw new IllegalStateException("run " + run.id() + " cannot go from " + from.key() + " to " + to.key());
        }
        runs.setState(run.id(), to, now);
        if (outcome != null) {
            runs.setOutcome(run.id(), outcome);
        }
        stream.publish(run.id(), "run", Map.of("state", to.key()));
        if (to.finished()) {
            events.publishEvent(JobEvent.run("job.run.finished", run.id(), to.key() + (outcome == null ? "" : ": " + outcome), "system"));
            events.publishEvent(new JobRunFinished(run.id(), to, outcome));
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
