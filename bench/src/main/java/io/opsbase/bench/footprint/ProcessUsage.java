package io.opsbase.bench.footprint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One reading of a Linux process's memory and CPU from {@code /proc}: VmRSS from {@code status},
 * Pss from {@code smaps_rollup} (resident memory with shared pages divided among the processes that
 * map them) and utime + stime + cutime + cstime from {@code stat}, in clock ticks — the last two
 * count the CPU of child processes it waited for (the agent's inventory process, dpkg-query).
 */
record ProcessUsage(long pid, long rssKb, long pssKb, long cpuTicks, long nanoTime) {

    /** USER_HZ: the unit of utime and stime; 100 on every mainstream Linux architecture. */
    static final int CLOCK_TICKS_PER_SECOND = 100;

    static ProcessUsage read(long pid) throws IOException {
        var proc = Path.of("/proc", Long.toString(pid));
        var stat = Files.readString(proc.resolve("stat"));
        // The command name, field 2, is in parentheses and may hold spaces: count fields after it.
        var fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        var ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]) + Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
        return new ProcessUsage(pid, kilobytes(proc.resolve("status"), "VmRSS:"), kilobytes(proc.resolve("smaps_rollup"), "Pss:"), ticks,
                System.nanoTime());
    }

    private static long kilobytes(Path file, String key) throws IOException {
        for (var line : Files.readAllLines(file)) {
            if (line.startsWith(key)) {
                return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
            }
        }
        throw new IOException(file + " has no " + key + " line");
    }

    /** CPU used between {@code earlier} and this reading, in percent of one core. */
    double cpuPercentSince(ProcessUsage earlier) {
        var seconds = (nanoTime - earlier.nanoTime) / 1e9;
        return 100.0 * (cpuTicks - earlier.cpuTicks) / CLOCK_TICKS_PER_SECOND / seconds;
    }

    double rssMb() {
        return rssKb / 1024.0;
    }

    double pssMb() {
        return pssKb / 1024.0;
    }
}
