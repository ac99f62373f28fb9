package io.opsbase.agent.tasks;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opsbase.agent.outbox.Outbox;
import io.opsbase.protocol.Task;

/**
 * Runs verified tasks, each on its own virtual thread, so the long-poll that hands them over never
 * waits for one. At most {@code concurrency} tasks run at once; the others wait for a slot in
 * arrival order. {@link Task#CANCEL} needs no slot: it interrupts the named task, whose handler
 * kills what it started (see {@link TaskHandler}). A type without a handler is answered
 * {@code refused}.
 *
 * <p>Every task id goes through the {@link TaskJournal} first: an id it knows is not run again, in
 * this process or after a restart. {@link #recover} reports the tasks a previous agent process left
 * running: it kills what is left of their process trees and sends their last chunk, outcome
 * {@code cancelled}, saying the agent stopped.
 *
 * <p>Thread-safe.
 */
public final class TaskDispatcher implements AutoCloseable {

    /** How long {@link #close} waits for running tasks to kill their processes and report. */
    static final Duration CLOSE_GRACE = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(TaskDispatcher.class);

    /** What is needed to run tasks: where output goes and its limits. */
    public record Settings(int concurrency, int chunkBytes, long maxOutputBytesCeiling) {

        public static Settings standard(int concurrency) {
            return new Settings(concurrency, TaskOutput.DEFAULT_CHUNK_BYTES, 16L * 1024 * 1024);
        }

        public Settings {
            if (concurrency < 1) {
                throw new IllegalArgumentException("task concurrency must be at least 1");
            }
        }
    }

    /**
     * A task in this process: its thread, whether a cancel asked it to stop, and whether it is
     * writing its last chunk — then nothing interrupts it any more, or the interrupt would close
     * the file channels under the write.
     */
    private static final class Running {
        final Thread thread;
        volatile boolean cancelRequested;
        private boolean finishing;

        Running(Thread thread) {
            this.thread = thread;
        }

        /** Interrupts the task unless it is finishing; true if it did. */
        synchronized boolean interrupt(boolean cancel) {
            if (finishing) {
                return false;
            }
            cancelRequested |= cancel;
            thread.interrupt();
            return true;
        }

        synchronized void finishing() {
            finishing = true;
            Thread.interrupted(); // an interrupt that came before this point has been acted on
        }
    }

    private final Map<String, TaskHandler> handlers;
    private final TaskJournal journal;
    private final Outbox outbox;
    private final Clock clock;
    private final Settings settings;
    private final Semaphore slots;
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private volatile boolean closing;

    public TaskDispatcher(Map<String, TaskHandler> handlers, TaskJournal journal, Outbox outbox, Clock clock, Settings settings) {
        this.handlers = Map.copyOf(handlers);
        this.journal = journal;
        this.outbox = outbox;
        this.clock = clock;
        this.settings = settings;
        this.slots = new Semaphore(settings.concurrency(), true);
    }

    /**
     * Starts a verified task and returns at once. False when the task is not started: its id is in
     * the journal (it ran or runs already), or the agent is stopping.
     */
    public boolean submit(Task task) throws IOException {
        if (closing) {
            return false;
        }
        synchronized (this) {
            if (!journal.begin(task)) {
                LOG.info("task {} ({}) was delivered again; it started before and does not run twice", task.taskId(), task.type());
                return false;
            }
            var thread = Thread.ofVirtual().name("task-" + task.taskId()).unstarted(() -> run(task));
            running.put(task.taskId(), new Running(thread));
            thread.start();
        }
        return true;
    }

    /**
     * Reports a task the poller refused (its signature does not verify, it expired) without running
     * anything: a last chunk, outcome {@code refused}, saying why — so the server shows the reason
     * instead of waiting for the task to be lost. The id goes through the journal like any task, so
     * a refused id is reported once and never runs on this agent afterwards.
     */
    public void refuse(Task task, String reason) throws IOException {
        synchronized (this) {
            if (closing || !journal.begin(task)) {
                return;
            }
        }
        var output = new TaskOutput(task.taskId(), outbox, journal::advance, clock, settings.chunkBytes(), 0, 0);
        finish(task.taskId(), output, TaskEnd.refused(reason));
    }

    private void run(Task task) {
        var output = output(task, 0);
        TaskEnd end;
        try {
            end = Task.CANCEL.equals(task.type()) ? cancel(task) : runInSlot(task, output);
        } catch (InterruptedException e) {
            var me = running.get(task.taskId());
            end = TaskEnd.cancelled(me != null && me.cancelRequested ? "cancelled; what it had started was stopped"
                    : "the agent stopped while the task ran; what it had started was stopped");
        } catch (RuntimeException e) {
            LOG.error("task {} ({}) failed in the agent", task.taskId(), task.type(), e);
            end = TaskEnd.failedToStart("the agent failed running this task: " + e);
        }
        finish(task.taskId(), output, end);
    }

    private TaskEnd runInSlot(Task task, TaskOutput output) throws InterruptedException {
        var handler = handlers.get(task.type());
        if (handler == null) {
            return TaskEnd.refused("this agent does not run tasks of type " + task.type());
        }
        slots.acquire();
        try {
            LOG.info("task {} ({}) started", task.taskId(), task.type());
            return handler.run(task, output);
        } finally {
            slots.release();
        }
    }

    private TaskEnd cancel(Task task) {
        var target = task.parameters().get("taskId");
        if (target == null || target.isBlank()) {
            return TaskEnd.failedToStart("a cancel task needs the parameter taskId");
        }
        var victim = running.get(target);
        if (victim == null || !victim.interrupt(true)) {
            var known = journal.knows(target);
            return TaskEnd.exited(1, known ? "task " + target + " has already ended" : "task " + target + " never reached this agent");
        }
        LOG.info("task {}: cancelling task {}", task.taskId(), target);
        return TaskEnd.exited(0, "task " + target + " is being cancelled");
    }

    private void finish(String taskId, TaskOutput output, TaskEnd end) {
        var me = running.get(taskId);
        if (me != null) {
            me.finishing();
        }
        try {
            output.finish(end);
            journal.end(taskId);
            LOG.info("task {} ended: {} (exit code {}){}", taskId, end.outcome(), end.exitCode(),
                    end.message().isEmpty() ? "" : ": " + end.message());
        } catch (IOException e) {
            LOG.error("task {}: cannot queue its last output chunk ({}); it is reported when the agent restarts", taskId, e.toString());
        } finally {
            running.remove(taskId);
        }
    }

    private TaskOutput output(Task task, int firstSequence) {
        var max = TaskOutput.DEFAULT_MAX_BYTES;
        var given = task.parameters().get("maxOutputBytes");
        if (given != null) {
            try {
                max = Math.clamp(Long.parseLong(given.trim()), 0, settings.maxOutputBytesCeiling());
            } catch (NumberFormatException e) {
                LOG.warn("task {}: maxOutputBytes {} is not a number; keeping {} bytes", task.taskId(), given, max);
            }
        }
        return new TaskOutput(task.taskId(), outbox, journal::advance, clock, settings.chunkBytes(), max, firstSequence);
    }

    /**
     * Reports the tasks the journal found unfinished: a previous agent process stopped while they
     * ran. What is left of their processes is killed; each gets a last chunk, outcome
     * {@code cancelled}, numbered after every chunk it may have sent. Call once, before the first
     * {@link #submit}.
     */
    public void recover() throws IOException {
        for (var entry : journal.unfinishedAtOpen()) {
            var killed = 0;
            if (entry.pid() != 0 && (ProcessTree.isSameProcess(entry.pid(), entry.pidStartedAt()) || ProcessHandle.of(entry.pid()).isEmpty())) {
                killed = ProcessTree.killSession(entry.pid());
            }
            var message = "the agent stopped while this task ran"
                    + (killed > 0 ? "; the " + killed + " processes it left were killed when the agent restarted" : "")
                    + "; output it printed after the agent stopped is lost";
            var output = new TaskOutput(entry.taskId(), outbox, journal::advance, clock, settings.chunkBytes(), 0, entry.nextSequence());
            output.finish(TaskEnd.cancelled(message));
            journal.end(entry.taskId());
            LOG.warn("task {} ({}): {}", entry.taskId(), entry.type(), message);
        }
    }

    /** Tasks started in this process that have not ended (waiting for a slot or running). */
    public int active() {
        return running.size();
    }

    /** Interrupts every task, so each kills its processes and reports "cancelled", and waits a moment for them. */
    @Override
    public void close() {
        closing = true;
        running.values().forEach(r -> r.interrupt(false));
        var deadline = System.nanoTime() + CLOSE_GRACE.toNanos();
        for (var r : running.values()) {
            try {
                r.thread.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
