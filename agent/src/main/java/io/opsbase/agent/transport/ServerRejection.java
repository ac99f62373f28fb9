package io.opsbase.agent.transport;

import io.opsbase.protocol.Problem;

/**
 * The server answered with an error status. {@code problem} is its problem+json body, or a
 * stand-in built from the status when the body was something else (a proxy's HTML page).
 */
public final class ServerRejection extends Exception {

    private final int status;
    private final transient Problem problem;

    public ServerRejection(String method, String path, int status, Problem problem) {
        super(RejectionMessages.describe(method, path, status, problem));
        this.status = status;
        this.problem = problem;
    }

    public int status() {
        return status;
    }

    public Problem problem() {
        return problem;
    }

    /**
     * Whether sending the same request again later can succeed: server errors, throttling, and
     * signature rejections (a clock put right, a replay window passed) can; a request the server
     * found malformed or unknown cannot.
     */
    public boolean isRetryable() {
        return status >= 500 || status == 401 || status == 403 || status == 408 || status == 409 || status == 425 || status == 429;
    }
}
