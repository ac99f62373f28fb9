package io.opsbase.agent.plugins;

import java.time.Duration;
import java.util.List;

/**
 * A script that prints metrics in the Prometheus text format. It counts as successful only when it
 * exits 0 and everything it printed parses; otherwise the failure, with the first line of its
 * standard error, is the answer.
 */
public final class ScriptPlugin {

    private final PluginRunner runner;
    private final PrometheusTextParser parser;

    public ScriptPlugin(PluginRunner runner, PrometheusTextParser parser) {
        this.runner = runner;
        this.parser = parser;
    }

    public ScrapeResult run(List<String> command, String account, Duration timeout, int maxOutputBytes)
            throws InterruptedException, PluginOutputException {
        ProcessOutcome outcome = runner.run(command, account, timeout, maxOutputBytes);
        if (!outcome.exited()) {
            throw new PluginOutputException(0, outcome.problem());
        }
        if (outcome.exitCode() != 0) {
            String err = outcome.stderr().strip();
            int nl = err.indexOf('\n');
            throw new PluginOutputException(0, "exited with " + outcome.exitCode()
                    + (err.isEmpty() ? "" : ": " + (nl < 0 ? err : err.substring(0, nl))));
        }
        return parser.parse(outcome.stdout(), PrometheusTextParser.Format.TEXT);
    }
}
