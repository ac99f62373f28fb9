package io.opsbase.protocol;

/**
 * {@code GET /api/v1/agent/tasks?wait=30&outboxDropped=N}: a long-poll. The server answers as soon
 * as a task exists, or after {@code waitSeconds} with an empty list. {@code outboxDropped} is the
 * agent's running total of reports its full outbox had to drop; it only grows, so the server just
 * keeps the latest value.
 */
public record TaskPollRequest(int waitSeconds, long outboxDropped) {

    public static final int MAX_WAIT_SECONDS = 60;

    public TaskPollRequest {
        if (waitSeconds < 0 || waitSeconds > MAX_WAIT_SECONDS) {
            throw new IllegalArgumentException("wait must be between 0 and " + MAX_WAIT_SECONDS + " s");
        }
    }

    /** The path and query exactly as signed. */
    public String pathAndQuery() {
        return AgentEndpoints.TASKS + "?wait=" + waitSeconds + "&outboxDropped=" + outboxDropped;
    }
}
