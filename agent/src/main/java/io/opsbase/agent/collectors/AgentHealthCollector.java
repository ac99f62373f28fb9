package io.opsbase.agent.collectors;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import io.opsbase.agent.plugins.MetricPoint;

/**
 * The agent's own health, so an operator sees when the agent itself is the problem:
 * {@code agent_rss_bytes} and {@code agent_threads} from {@code /proc/self/status},
 * {@code agent_cpu_percent} of one core between readings, {@code agent_heap_used_bytes},
 * {@code agent_outbox_entries} and {@code agent_outbox_bytes} (what waits to be delivered).
 */
public final class AgentHealthCollector implements Collector {

    private final ProcFiles proc;
    private final LongSupplier outboxEntries;
    private final LongSupplier outboxBytes;
    private final Rates rates = new Rates();

    public AgentHealthCollector(ProcFiles proc, LongSupplier outboxEntries, LongSupplier outboxBytes) {
        this.proc = proc;
        this.outboxEntries = outboxEntries;
        this.outboxBytes = outboxBytes;
    }

    @Override
    public String name() {
        return "agent";
    }

    @Override
    public void collect(long nowMillis, Consumer<MetricPoint> out) throws IOException {
        for (String line : proc.lines("/proc/self/status")) {
            if (line.startsWith("VmRSS:")) {
                out.accept(gauge("agent_rss_bytes", Double.parseDouble(line.replaceAll("\\D", "")) * 1024));
            } else if (line.startsWith("Threads:")) {
                out.accept(gauge("agent_threads", Double.parseDouble(line.substring(8).trim())));
            }
        }
        long cpuNanos = ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
        if (cpuNanos >= 0) {
            double perSecond = rates.perSecond("cpu", cpuNanos / 1e9, nowMillis);
            if (!Double.isNaN(perSecond)) {
                out.accept(gauge("agent_cpu_percent", 100 * perSecond));
            }
        }
        Runtime runtime = Runtime.getRuntime();
        out.accept(gauge("agent_heap_used_bytes", runtime.totalMemory() - runtime.freeMemory()));
        out.accept(gauge("agent_outbox_entries", outboxEntries.getAsLong()));
        out.accept(gauge("agent_outbox_bytes", outboxBytes.getAsLong()));
    }

    private static MetricPoint gauge(String name, double value) {
        return MetricPoint.of(name, Map.of(), value);
    }
}
