package io.opsbase.agent.plugins;

import java.time.Duration;
import java.util.List;

/**
 * A Nagios-compatible check (Monitoring Plugins, Nagios, Icinga): runs the program through the
 * {@link PluginRunner} and reads its state and performance data. A check that times out, cannot
 * start, prints too much or never gets a slot is UNKNOWN with the reason as its summary.
 */
public final class CheckPlugin {

    private final PluginRunner runner;
    private final CheckOutputParser parser = new CheckOutputParser();

    public CheckPlugin(PluginRunner runner) {
        this.runner = runner;
    }

    public CheckResult run(List<String> command, String account, Duration timeout, int maxOutputBytes)
            throws InterruptedException {
        ProcessOutcome outcome = runner.run(command, account, timeout, maxOutputBytes);
        if (!outcome.exited()) {
            return CheckResult.unknown(outcome.problem());
        }
        String output = outcome.stdout().isBlank() ? firstLine(outcome.stderr()) : outcome.stdout();
        return parser.parse(outcome.exitCode(), output);
    }

    private static String firstLine(String text) {
        String s = text.strip();
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
