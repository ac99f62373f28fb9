package io.opsbase.protocol;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One thing the agent collects on a schedule, from the templates bound to its host.
 *
 * @param key            unique within the configuration; names the item in labels and logs
 * @param type           {@code collector} (a built-in collector, {@code target} its name: cpu,
 *                       system, memory, filesystem, disk, network, tcp, agent), {@code check} (a
 *                       Nagios-compatible check: {@code target} the program, {@code arguments} its
 *                       arguments), {@code prometheus} ({@code target} the URL to scrape) or
 *                       {@code script} (a program printing the Prometheus text format)
 * @param interval       how often it runs
 * @param timeout        a plugin still running after this is killed with its children
 * @param maxOutputBytes a plugin printing (or an endpoint answering) more than this is stopped
 * @param account        the OS account plugins run as; null for the agent's own
 */
public record MonitoringItem(String key, String type, String target, List<String> arguments, Duration interval,
        Duration timeout, int maxOutputBytes, String account) {

    public static final String COLLECTOR = "collector";
    public static final String CHECK = "check";
    public static final String PROMETHEUS = "prometheus";
    public static final String SCRIPT = "script";

    public MonitoringItem {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(interval, "interval");
        arguments = arguments == null ? List.of() : List.copyOf(arguments);
        timeout = timeout == null ? Duration.ofSeconds(10) : timeout;
    }

    public static MonitoringItem collector(String name, Duration interval) {
        return new MonitoringItem(name, COLLECTOR, name, List.of(), interval, Duration.ofSeconds(10), 0, null);
    }
}
