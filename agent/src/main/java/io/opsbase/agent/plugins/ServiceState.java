package io.opsbase.agent.plugins;

/**
 * The state a Nagios-compatible check reports through its exit code (Monitoring Plugins
 * Development Guidelines): 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN. Any other exit code, a timeout
 * or a check that could not be started is UNKNOWN.
 */
public enum ServiceState {
    OK, WARNING, CRITICAL, UNKNOWN;

    public static ServiceState fromExitCode(int exitCode) {
        return switch (exitCode) {
            case 0 -> OK;
            case 1 -> WARNING;
            case 2 -> CRITICAL;
            default -> UNKNOWN;
        };
    }

    /** The numeric value stored as a metric, the same as the exit code convention. */
    public int code() {
        return ordinal();
    }
}
