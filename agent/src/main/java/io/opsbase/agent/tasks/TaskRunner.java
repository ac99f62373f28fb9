package io.opsbase.agent.tasks;

import java.time.Clock;

import io.opsbase.protocol.Task;

/**
 * Runs a verified task. This issue knows one type, {@link Task#PING}, which proves the channel and
 * does nothing else; any other type is answered with exit code {@value #UNSUPPORTED} so the server
 * sees at once that this agent cannot run it.
 */
public final class TaskRunner {

    /** The shell's "command not found". */
    public static final int UNSUPPORTED = 127;

    private final Clock clock;

    public TaskRunner(Clock clock) {
        this.clock = clock;
    }

    public TaskResult run(Task task) {
        var started = clock.instant();
        if (Task.PING.equals(task.type())) {
            return new TaskResult("pong", "", 0, started, clock.instant());
        }
        return new TaskResult("", "this agent does not support tasks of type " + task.type(), UNSUPPORTED, started, clock.instant());
    }
}
