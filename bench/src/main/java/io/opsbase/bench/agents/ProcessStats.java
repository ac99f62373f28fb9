package io.opsbase.bench.agents;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time and resident memory of a local process, read from {@code /proc} (Linux). CPU is
 * user + system time in clock ticks (100 per second on Linux, the {@code USER_HZ} every
 * distribution ships), so the difference of two readings over a wall-clock interval is the
 * number of cores the process kept busy.
 */
public record ProcessStats(double cpuSeconds, long rssBytes) {

    private static final double TICKS_PER_SECOND = 100.0;

    public static ProcessStats of(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // Field 2 (the command) may contain spaces; the fields after its closing parenthesis are fixed.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            double cpu = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
            long rss = 0;
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
            return new ProcessStats(cpu, rss);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read /proc/" + pid + ": " + e.getMessage(), e);
        }
    }

    /** The 1, 5 and 15 minute load averages of the machine, from {@code /proc/loadavg}. */
    public static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }
}
