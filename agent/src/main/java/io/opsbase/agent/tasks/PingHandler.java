package io.opsbase.agent.tasks;

import io.opsbase.protocol.Task;

/** {@link Task#PING}: proves the channel, answers {@code pong} and exit code 0, does nothing else. */
public final class PingHandler implements TaskHandler {

    @Override
    public TaskEnd run(Task task, TaskOutput output) {
        var pong = "pong".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        output.stdout(pong, 0, pong.length);
        return TaskEnd.exited(0);
    }
}
