package io.opsbase.agent.collectors;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import io.opsbase.agent.plugins.MetricPoint;

/**
 * CPU time shares from {@code /proc/stat}, in total and per core, between two readings:
 * {@code cpu_percent{cpu,mode}} for user, nice, system, iowait, irq, softirq, steal and idle, and
 * {@code cpu_used_percent{cpu}} (100 − idle − iowait, as most tools show "CPU used"). The kernel's
 * guest time is already inside user and nice, so it is not added again.
 */
public final class CpuCollector implements Collector {

    static final List<String> MODES = List.of("user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal");

    private final ProcFiles proc;
    private final Map<String, long[]> previous = new HashMap<>();

    public CpuCollector(ProcFiles proc) {
        this.proc = proc;
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public void collect(long nowMillis, Consumer<MetricPoint> out) throws IOException {
        Map<String, long[]> current = new HashMap<>();
        for (String line : proc.lines("/proc/stat")) {
            if (!line.startsWith("cpu")) {
                continue;
            }
            String[] f = line.trim().split("\\s+");
            String cpu = f[0].equals("cpu") ? "total" : f[0].substring(3);
            long[] ticks = new long[MODES.size()];
            for (int i = 0; i < ticks.length && i + 1 < f.length; i++) {
                ticks[i] = Long.parseLong(f[i + 1]);
            }
            current.put(cpu, ticks);
        }
        for (Map.Entry<String, long[]> e : current.entrySet()) {
            long[] before = previous.get(e.getKey());
            if (before != null) {
                emit(e.getKey(), before, e.getValue(), out);
            }
        }
        previous.clear();
        previous.putAll(current);
    }

    private static void emit(String cpu, long[] before, long[] now, Consumer<MetricPoint> out) {
        long[] delta = new long[now.length];
        long total = 0;
        for (int i = 0; i < now.length; i++) {
            delta[i] = Math.max(0, now[i] - before[i]);
            total += delta[i];
        }
        if (total == 0) {
            return;
        }
        for (int i = 0; i < MODES.size(); i++) {
            out.accept(MetricPoint.of("cpu_percent", Map.of("cpu", cpu, "mode", MODES.get(i)), 100.0 * delta[i] / total));
        }
        double idle = delta[MODES.indexOf("idle")] + delta[MODES.indexOf("iowait")];
        out.accept(MetricPoint.of("cpu_used_percent", Map.of("cpu", cpu), 100.0 * (total - idle) / total));
    }
}
