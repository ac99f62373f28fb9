package io.opsbase.bench.footprint;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** The samples of one footprint run and the summary printed from them. */
record FootprintResult(List<Row> rows, double agentCpuPercent, double exporterCpuPercent, String loadBefore, String loadAfter,
        String cpuModel, int cores) {

    /** One sample: both processes' memory now and their CPU since the previous sample. */
    record Row(Duration at, ProcessUsage agent, double agentCpuPercent, ProcessUsage exporter, double exporterCpuPercent) {

        void print(PrintStream out) {
            out.printf("%6d | %8.1f %8.1f %7.2f | %8.1f %8.1f %7.2f%n", at.toSeconds(), agent.rssMb(), agent.pssMb(), agentCpuPercent,
                    exporter.rssMb(), exporter.pssMb(), exporterCpuPercent);
        }
    }

    static void printHeader(PrintStream out) {
        out.println("     s |        opsbase-agent        |   prometheus-node-exporter");
        out.println("       |  RSS MB   PSS MB    CPU % |  RSS MB   PSS MB    CPU %");
    }

    void print(PrintStream out, String java, Path nodeExporter) {
        out.println();
        out.printf("machine: %s, %d cores; load average before %s, after %s%n", cpuModel, cores, loadBefore, loadAfter);
        out.printf("agent runtime: %s; node exporter: %s%n", java, nodeExporter);
        out.println("                          |  agent | node exporter");
        out.printf("RSS MB (mean / max)       | %5.1f / %5.1f | %5.1f / %5.1f%n", mean(r -> r.agent().rssMb()), max(r -> r.agent().rssMb()),
                mean(r -> r.exporter().rssMb()), max(r -> r.exporter().rssMb()));
        out.printf("PSS MB (mean / max)       | %5.1f / %5.1f | %5.1f / %5.1f%n", mean(r -> r.agent().pssMb()), max(r -> r.agent().pssMb()),
                mean(r -> r.exporter().pssMb()), max(r -> r.exporter().pssMb()));
        out.printf("CPU %% of a core (window)  | %6.3f | %6.3f%n", agentCpuPercent, exporterCpuPercent);
        out.printf("agent_rss_mb=%.1f agent_pss_mb=%.1f agent_cpu_pct=%.3f node_exporter_rss_mb=%.1f node_exporter_pss_mb=%.1f "
                        + "node_exporter_cpu_pct=%.3f%n", max(r -> r.agent().rssMb()), max(r -> r.agent().pssMb()), agentCpuPercent,
                max(r -> r.exporter().rssMb()), max(r -> r.exporter().pssMb()), exporterCpuPercent);
    }

    private double mean(ToDoubleFunction<Row> value) {
        return rows.stream().mapToDouble(value).average().orElse(Double.NaN);
    }

    private double max(ToDoubleFunction<Row> value) {
        return rows.stream().mapToDouble(value).max().orElse(Double.NaN);
    }
}
