package io.opsbase.agent.collectors;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import io.opsbase.agent.plugins.MetricPoint;

/**
 * Network traffic per interface from {@code /proc/net/dev}, as rates between readings:
 * {@code network_{receive,transmit}_{bytes,packets,errors,drops}_per_second{interface}}. The
 * loopback interface is left out.
 */
public final class NetworkCollector implements Collector {

    /** Column of each counter in a /proc/net/dev row (after the interface name). */
    private static final List<Map.Entry<String, Integer>> COLUMNS = List.of(
            Map.entry("network_receive_bytes_per_second", 0), Map.entry("network_receive_packets_per_second", 1),
            Map.entry("network_receive_errors_per_second", 2), Map.entry("network_receive_drops_per_second", 3),
            Map.entry("network_transmit_bytes_per_second", 8), Map.entry("network_transmit_packets_per_second", 9),
            Map.entry("network_transmit_errors_per_second", 10), Map.entry("network_transmit_drops_per_second", 11));

    private final ProcFiles proc;
    private final Rates rates = new Rates();

    public NetworkCollector(ProcFiles proc) {
        this.proc = proc;
    }

    @Override
    public String name() {
        return "network";
    }

    @Override
    public void collect(long nowMillis, Consumer<MetricPoint> out) throws IOException {
        Set<String> keys = new HashSet<>();
        for (String line : proc.lines("/proc/net/dev")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String iface = line.substring(0, colon).trim();
            if (iface.equals("lo")) {
                continue;
            }
            String[] f = line.substring(colon + 1).trim().split("\\s+");
            if (f.length < 16) {
                continue;
            }
            Map<String, String> labels = Map.of("interface", iface);
            for (Map.Entry<String, Integer> column : COLUMNS) {
                String key = iface + '/' + column.getKey();
                keys.add(key);
                double rate = rates.perSecond(key, Double.parseDouble(f[column.getValue()]), nowMillis);
                if (!Double.isNaN(rate)) {
                    out.accept(MetricPoint.of(column.getKey(), labels, rate));
                }
            }
        }
        rates.retainOnly(keys);
    }
}
