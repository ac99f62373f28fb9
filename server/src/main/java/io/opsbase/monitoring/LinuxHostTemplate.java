package io.opsbase.monitoring;

import java.time.Duration;
import java.util.List;

import io.opsbase.protocol.MonitoringItem;

/**
 * The built-in template every approved Linux host gets: the agent's built-in collectors at the
 * intervals operators usually choose — fast-moving load every 10 s, filesystems and the agent's
 * own health every minute. About 100 series on a small host.
 */
public final class LinuxHostTemplate {

    public static final String NAME = "Linux host";

    static final List<MonitoringItem> ITEMS = List.of(
            MonitoringItem.collector("cpu", Duration.ofSeconds(10)),
            MonitoringItem.collector("system", Duration.ofSeconds(10)),
            MonitoringItem.collector("memory", Duration.ofSeconds(10)),
            MonitoringItem.collector("network", Duration.ofSeconds(10)),
            MonitoringItem.collector("disk", Duration.ofSeconds(10)),
            MonitoringItem.collector("tcp", Duration.ofSeconds(30)),
            MonitoringItem.collector("filesystem", Duration.ofMinutes(1)),
            MonitoringItem.collector("agent", Duration.ofMinutes(1)));

    private LinuxHostTemplate() {
    }

    public static List<MonitoringItem> items() {
        return ITEMS;
    }
}
