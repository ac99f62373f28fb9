package io.opsbase.jobs.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import io.opsbase.agents.AgentTaskReported;
import io.opsbase.jobs.HostTaskState;
import io.opsbase.jobs.JobDefinition;

/**
 * Records the output chunks agents report for job tasks, before the agent gets its
 * acknowledgement. A chunk is stored once per (task, sequence) — a repeat delivery changes nothing,
 * the task's row lock (or the run's) keeping two deliveries of one chunk apart — with the run's
 * secret values masked, also where a chunk boundary splits one ({@link SecretSeams}); the last
 * chunk ends the task and moves the run on. A chunk with transfer progress updates the host's
 * latest progress. The source host's upload for a file step from one host to others is handled
 * here too: its last chunk says what was stored.
 */
@Component
class TaskReportListener {

    private final HostTaskRepository tasks;
    private final RunRepository runs;
    private final OutputRepository output;
    private final RunEngine engine;
    private final ParameterBinder parameters;
    private final RunStream stream;
    private final FileSourceRepository sources;
    private final Clock clock;
    private final TransactionTemplate tx;
    /** Parsed plans of the runs whose results arrived lately, by run id; the 64 most recently used. Guarded by itself. */
    private final Map<Long, JobDefinition> plans = new java.util.LinkedHashMap<>(128, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, JobDefinition> eldest) {
            return size() > 64;
        }
    };

    TaskReportListener(HostTaskRepository tasks, RunRepository runs, OutputRepository output, RunEngine engine,
            ParameterBinder parameters, RunStream stream, FileSourceRepository sources, Clock clock, TransactionTemplate tx) {
        this.sources = sources;
        this.tasks = tasks;
        this.runs = runs;
        this.output = output;
        this.engine = engine;
        this.parameters = parameters;
        this.stream = stream;
        this.clock = clock;
        this.tx = tx;
    }

    /**
     * Stores the chunk in a transaction; after it commits (and its connection is back in the pool),
     * a result taken in parallel moves the run on if it was the last one in flight — before the
     * agent gets its acknowledgement, as with the run's lock.
     */
    @EventListener
    void on(AgentTaskReported report) {
        long[] ended = tx.execute(s -> record(report));
        if (ended != null) {
            engine.advanceIfIdle(ended[0], (int) ended[1]);
        }
    }

    /** Returns {run id, step} when a task taken in parallel ended and the run may have to move on. */
    private long[] record(AgentTaskReported report) {
        var found = tasks.byAgentTask(report.agentId(), report.taskId());
        if (found.isEmpty()) {
            sourceUpload(report);
            return null; // else not a job task (a ping), or not this agent's
        }
        // A run whose hosts are independent (no concurrency limit, no failure policy) takes its hosts'
        // results in parallel, each under its own task row's lock; the run's lock is taken only to
        // move the run on once nothing is in flight (RunEngine.complete). Otherwise every result
        // is taken under the run's lock, as dispatching the next hosts depends on it.
        RunRow seen = runs.find(found.get().runId()).orElseThrow();
        JobDefinition plan = plan(seen);
        boolean parallel = RunEngine.takesResultsInParallel(plan.strategy());
        RunRow run = parallel ? seen : runs.lock(seen.id()).orElseThrow();
        HostTaskRow task = (parallel ? tasks.lock(found.get().id()) : tasks.find(found.get().id())).orElseThrow();
        var out = report.output();
        List<String> secrets = parameters.secretValues(plan.parameters(), JobJson.readStrings(run.parameters()));
        List<OutputRepository.Chunk> before = secrets.isEmpty() || out.sequence() == 0 ? List.of()
                : output.before(task.id(), out.sequence());
        List<String> outsBefore = new java.util.ArrayList<>(before.size());
        List<String> errsBefore = new java.util.ArrayList<>(before.size());
        for (var c : before) {
            outsBefore.add(c.stdout());
            errsBefore.add(c.stderr());
        }
        int hold = SecretSeams.hold(secrets);
        var seamOut = SecretSeams.mask(SecretSeams.recent(outsBefore, hold), out.stdout(), secrets, out.last());
        var seamErr = SecretSeams.mask(SecretSeams.recent(errsBefore, hold), out.stderr(), secrets, out.last());
        String stdout = seamOut.current();
        String stderr = seamErr.current();
        Instant now = clock.instant();
        if (task.state() == HostTaskState.DISPATCHED) {
            // Under the task's lock (or the run's): a dispatched task has no chunk stored yet — the first one
            // stored makes it running or ends it — so there is nothing to ask about.
            output.insertNew(task.id(), out.sequence(), stdout, stderr, now);
        } else if (!output.insert(task.id(), out.sequence(), stdout, stderr, now)) {
            return null;
        }
        if (seamOut.moved() > 0 || seamErr.moved() > 0) {
            // A secret began in text already stored: that text moved into this chunk, masked with it.
            List<String> outs = SecretSeams.trimmed(outsBefore, seamOut.moved());
            List<String> errs = SecretSeams.trimmed(errsBefore, seamErr.moved());
            for (int i = 0; i < before.size(); i++) {
                if (!java.util.Objects.equals(outs.get(i), outsBefore.get(i)) || !java.util.Objects.equals(errs.get(i), errsBefore.get(i))) {
                    output.rewrite(task.id(), before.get(i).sequence(), outs.get(i), errs.get(i));
                }
            }
        }
        if (out.truncated()) {
            tasks.markTruncated(task.id());
        }
        if (out.progressBytes() != null) {
            tasks.progress(task.id(), out.progressBytes(), out.progressTotal());
            stream.publish(run.id(), "progress", Map.of("ciId", task.ciId(), "step", task.step(), "bytes", out.progressBytes(),
                    "total", out.progressTotal()));
        }
        if (task.state() == HostTaskState.DISPATCHED && !out.last()) {
            // A last chunk ends the task from dispatched directly (finish sets its start time), one update fewer.
            tasks.started(task.id(), out.startedAt() == null ? now : out.startedAt());
        }
        if (!seamOut.live().isEmpty() || !seamErr.live().isEmpty()) {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("ciId", task.ciId());
            event.put("step", task.step());
            event.put("stdout", seamOut.live());
            event.put("stderr", seamErr.live());
            stream.publish(run.id(), "output", event);
        }
        if (out.last()) {
            // The whole output of a task that sent one chunk is the chunk just stored: no need to read it back.
            var only = out.sequence() == 0 ? new OutputRepository.Chunk(0, stdout, stderr) : null;
            // task: read under its lock; truncation is also taken from out
            if (engine.complete(run, task, out, only, !parallel) && parallel) {
                return new long[] {run.id(), task.step()};
            }
        }
        return null;
    }

    /** A run's plan never changes once stored: parsed once per run, not once per host result. */
    private JobDefinition plan(RunRow run) {
        synchronized (plans) {
            JobDefinition known = plans.get(run.id());
            if (known != null) {
                return known;
            }
        }
        JobDefinition parsed = JobJson.read(run.plan(), JobDefinition.class);
        synchronized (plans) {
            plans.put(run.id(), parsed);
        }
        return parsed;
    }

    /** The last chunk of a source host's upload decides the step; earlier chunks only say it began. */
    private void sourceUpload(AgentTaskReported report) {
        var found = sources.byAgentTask(report.agentId(), report.taskId());
        if (found.isEmpty() || !report.output().last()) {
            return;
        }
        RunRow run = runs.lock(found.get().runId()).orElseThrow();
        var source = sources.find(found.get().runId(), found.get().step()).orElseThrow();
        if (!FileSourceRepository.UPLOADING.equals(source.state())) {
            return; // a repeat, or the sweeper gave up on it
        }
        engine.sourceReported(run, source, report.output());
    }
}
