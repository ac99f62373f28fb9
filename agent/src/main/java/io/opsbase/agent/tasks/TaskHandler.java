package io.opsbase.agent.tasks;

import io.opsbase.protocol.Task;

/**
 * Runs one verified task of one type. {@link TaskDispatcher} calls it on the task's own thread,
 * once per task id, and sends what it returns as the task's last output chunk. A handler streams
 * what the task prints through {@code output} as it goes.
 *
 * <p>Cancel and agent shutdown interrupt the thread: the handler must then stop what it started (a
 * script's whole process tree) and throw {@link InterruptedException}; the dispatcher reports the
 * task cancelled.
 */
@FunctionalInterface
public interface TaskHandler {

    TaskEnd run(Task task, TaskOutput output) throws InterruptedException;
}
