package io.opsbase.agent.collectors;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

import io.opsbase.agent.plugins.MetricPoint;

/**
 * Load, uptime, processes and threads: {@code system_load1/5/15} and the runnable/total thread
 * counts from {@code /proc/loadavg}, {@code system_uptime_seconds} from {@code /proc/uptime},
 * {@code processes_total} (the process directories in {@code /proc}), {@code processes_running}
 * and {@code processes_blocked} and {@code system_context_switches_per_second} from
 * {@code /proc/stat}.
 */
public final class SystemCollector implements Collector {

    private final ProcFiles proc;
    private final Rates rates = new Rates();

    public SystemCollector(ProcFiles proc) {
        this.proc = proc;
    }

    @Override
    public String name() {
        return "system";
    }

    @Override
    public void collect(long nowMillis, Consumer<MetricPoint> out) throws IOException {
        String[] load = proc.read("/proc/loadavg").trim().split("\\s+");
        out.accept(gauge("system_load1", Double.parseDouble(load[0])));
        out.accept(gauge("system_load5", Double.parseDouble(load[1])));
        out.accept(gauge("system_load15", Double.parseDouble(load[2])));
        String[] threads = load[3].split("/");
        out.accept(gauge("threads_runnable", Double.parseDouble(threads[0])));
        out.accept(gauge("threads_total", Double.parseDouble(threads[1])));
        out.accept(gauge("system_uptime_seconds", Double.parseDouble(proc.read("/proc/uptime").trim().split("\\s+")[0])));
        for (String line : proc.lines("/proc/stat")) {
            if (line.startsWith("procs_running ")) {
                out.accept(gauge("processes_running", Double.parseDouble(line.substring(14).trim())));
            } else if (line.startsWith("procs_blocked ")) {
                out.accept(gauge("processes_blocked", Double.parseDouble(line.substring(14).trim())));
            } else if (line.startsWith("ctxt ")) {
                double rate = rates.perSecond("ctxt", Double.parseDouble(line.substring(5).trim()), nowMillis);
                if (!Double.isNaN(rate)) {
                    out.accept(gauge("system_context_switches_per_second", rate));
                }
            }
        }
        out.accept(gauge("processes_total", countProcesses()));
    }

    private double countProcesses() throws IOException {
        int count = 0;
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(proc.resolve("/proc"))) {
            for (Path dir : dirs) {
                String name = dir.getFileName().toString();
                if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
                    count++;
                }
            }
        }
        return count;
    }

    private static MetricPoint gauge(String name, double value) {
        return MetricPoint.of(name, Map.of(), value);
    }
}
