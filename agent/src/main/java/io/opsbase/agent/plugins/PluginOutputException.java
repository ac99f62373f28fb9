package io.opsbase.agent.plugins;

/**
 * A plugin answered something that cannot be read. The message names the line (1-based) and says
 * what was wrong, because it ends up in the agent log and in the item's state for an operator.
 */
public final class PluginOutputException extends Exception {

    private final int line;

    public PluginOutputException(int line, String message) {
        super(line > 0 ? "line " + line + ": " + message : message);
        this.line = line;
    }

    /** The 1-based line of the output that failed, or 0 when the failure is not tied to a line. */
    public int line() {
        return line;
    }
}
