package io.opsbase.protocol;

import java.util.List;

/** The tasks for the polling agent, each signed by the server; empty when the wait ran out. */
public record TaskPollResponse(List<SignedTask> tasks) {

    public TaskPollResponse {
        tasks = tasks == null ? List.of() : List.copyOf(tasks);
    }
}
