package io.opsbase.agent.collectors;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

import io.opsbase.agent.plugins.MetricPoint;

/**
 * Memory and swap from {@code /proc/meminfo}, in bytes: total, available (the kernel's own estimate
 * of what can be used without swapping), used (total − available) and its percentage, buffers,
 * cached; swap total, free, used and its percentage. Kernels before 3.14 have no MemAvailable;
 * there, available is free + buffers + cached, as {@code free} computed it.
 */
public final class MemoryCollector implements Collector {

    private final ProcFiles proc;

    public MemoryCollector(ProcFiles proc) {
        this.proc = proc;
    }

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public void collect(long nowMillis, Consumer<MetricPoint> out) throws IOException {
        Map<String, Double> kb = new HashMap<>();
        for (String line : proc.lines("/proc/meminfo")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String[] value = line.substring(colon + 1).trim().split("\\s+");
            double bytes = Double.parseDouble(value[0]) * (value.length > 1 && value[1].equals("kB") ? 1024 : 1);
            kb.put(line.substring(0, colon), bytes);
        }
        double total = kb.getOrDefault("MemTotal", 0.0);
        double buffers = kb.getOrDefault("Buffers", 0.0);
        double cached = kb.getOrDefault("Cached", 0.0) + kb.getOrDefault("SReclaimable", 0.0);
        double available = kb.containsKey("MemAvailable") ? kb.get("MemAvailable") : kb.getOrDefault("MemFree", 0.0) + buffers + cached;
        out.accept(gauge("memory_total_bytes", total));
        out.accept(gauge("memory_available_bytes", available));
        out.accept(gauge("memory_used_bytes", total - available));
        if (total > 0) {
            out.accept(gauge("memory_used_percent", 100.0 * (total - available) / total));
        }
        out.accept(gauge("memory_buffers_bytes", buffers));
        out.accept(gauge("memory_cached_bytes", cached));
        double swapTotal = kb.getOrDefault("SwapTotal", 0.0);
        double swapFree = kb.getOrDefault("SwapFree", 0.0);
        out.accept(gauge("swap_total_bytes", swapTotal));
        out.accept(gauge("swap_free_bytes", swapFree));
        out.accept(gauge("swap_used_bytes", swapTotal - swapFree));
        out.accept(gauge("swap_used_percent", swapTotal > 0 ? 100.0 * (swapTotal - swapFree) / swapTotal : 0));
    }

    private static MetricPoint gauge(String name, double value) {
        return MetricPoint.of(name, Map.of(), value);
    }
}
