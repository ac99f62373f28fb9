package io.opsbase.protocol;

/** The paths of the agent calls, relative to the server's base URL. */
public final class AgentEndpoints {

    public static final String ENROLL = "/api/v1/agent/enroll";
    public static final String CONFIG = "/api/v1/agent/config";
    public static final String INVENTORY = "/api/v1/agent/inventory";
    public static final String METRICS = "/api/v1/agent/metrics";
    public static final String TASKS = "/api/v1/agent/tasks";
    /** Format with the task id. */
    public static final String TASK_OUTPUT = "/api/v1/agent/tasks/%s/output";

    /**
     * Agent file transfer. {@code GET FILES/<sha256>} downloads a stored file (HTTP ranges, ETag =
     * the sha256); {@code POST FILES?name=<file name>} uploads one from the host as a streamed,
     * signed body: see {@link io.opsbase.protocol.signing.RequestSigner#signStreamed} and
     * docs/api.md, "Agent file transfer".
     */
    public static final String FILES = "/api/v1/agent/files";

    /** The idempotency key of a report, also carried in its body. */
    public static final String IDEMPOTENCY_KEY_HEADER = "Idempotency-Key";

    private AgentEndpoints() {
    }

    public static String file(String sha256) {
        return FILES + "/" + sha256;
    }

    public static String taskOutput(String taskId) {
        return TASK_OUTPUT.formatted(taskId);
    }
}
