package io.opsbase.protocol;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A unit of work for one agent. The agent runs it only if the server's Ed25519 signature over
 * {@link io.opsbase.protocol.signing.TaskSigner#canonical canonical form} verifies, {@code agentId}
 * is its own and {@code expiresAt} has not passed — so a task captured for one host or replayed
 * later does nothing.
 */
public record Task(String taskId, String agentId, String type, Map<String, String> parameters, Instant issuedAt, Instant expiresAt) {

    /** The no-op task that proves the channel: answered with output {@code pong} and exit code 0. */
    public static final String PING = "ping";
    /**
     * Run a script: parameters {@code language} (bash, sh, python, powershell), {@code script},
     * {@code timeoutSeconds}, optional {@code account} (the OS user to run as), optional
     * {@code maxOutputBytes}, and {@code env.NAME} entries for environment variables.
     */
    public static final String SCRIPT = "script";
    /** Kill the process tree of a running task: parameter {@code taskId}. */
    public static final String CANCEL = "cancel";
    /**
     * Fetch a file from the server's content-addressed store and put it in place: parameters
     * {@code sha256}, {@code size}, {@code path}, optional {@code mode} (octal, e.g. 0644),
     * {@code owner} and {@code group}.
     */
    public static final String FILE = "file";
    /** Upload a local file to the server's file store (one host to others): parameter {@code path}. */
    public static final String FILE_UPLOAD = "file-upload";

    public Task {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
    }
}
