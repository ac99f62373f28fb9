package io.opsbase.agent.collectors;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

import io.opsbase.agent.plugins.MetricPoint;

/**
 * TCP connections by state from {@code /proc/net/tcp} and {@code /proc/net/tcp6}:
 * {@code tcp_connections{state}} for every state (zero included, so a graph does not break when a
 * state empties).
 */
public final class TcpCollector implements Collector {

    /** The kernel's TCP states, numbered as in include/net/tcp_states.h. */
    static final String[] STATES = {null, "established", "syn_sent", "syn_recv", "fin_wait1", "fin_wait2", "time_wait", "close",
        "close_wait", "last_ack", "listen", "closing", "new_syn_recv"};

    private final ProcFiles proc;

    public TcpCollector(ProcFiles proc) {
        this.proc = proc;
    }

    @Override
    public String name() {
        return "tcp";
    }

    @Override
    public void collect(long nowMillis, Consumer<MetricPoint> out) throws IOException {
        long[] counts = new long[STATES.length];
        for (String file : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            if (!proc.exists(file)) {
                continue;
            }
            boolean header = true;
            for (String line : proc.lines(file)) {
                if (header) {
                    header = false;
                    continue;
                }
                String[] f = line.trim().split("\\s+");
                if (f.length > 3) {
                    int state = Integer.parseInt(f[3], 16);
                    if (state > 0 && state < STATES.length) {
                        counts[state]++;
                    }
                }
            }
        }
        Map<String, Long> byState = new TreeMap<>();
        for (int i = 1; i < STATES.length; i++) {
            byState.put(STATES[i], counts[i]);
        }
        byState.forEach((state, n) -> out.accept(MetricPoint.of("tcp_connections", Map.of("state", state), n)));
    }
}
