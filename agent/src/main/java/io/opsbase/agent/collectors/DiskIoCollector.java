package io.opsbase.agent.collectors;

import java.io.IOException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import io.opsbase.agent.plugins.MetricPoint;

/**
 * Disk I/O per whole disk from {@code /proc/diskstats}, as rates between readings:
 * {@code disk_read_bytes_per_second}, {@code disk_write_bytes_per_second},
 * {@code disk_reads_per_second}, {@code disk_writes_per_second} and {@code disk_busy_percent}
 * (time with I/O in flight, like iostat's %util). Partitions are left out (a disk is a name under
 * {@code /sys/block}), and so are loop and RAM devices. Sectors are 512 bytes in this file
 * whatever the device's own sector size.
 */
public final class DiskIoCollector implements Collector {

    private final ProcFiles proc;
    private final Rates rates = new Rates();

    public DiskIoCollector(ProcFiles proc) {
        this.proc = proc;
    }

    @Override
    public String name() {
        return "disk";
    }

    @Override
    public void collect(long nowMillis, Consumer<MetricPoint> out) throws IOException {
        Set<String> keys = new HashSet<>();
        for (String line : proc.lines("/proc/diskstats")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 14) {
                continue;
            }
            String device = f[2];
            if (device.startsWith("loop") || device.startsWith("ram") || device.startsWith("zram")
                    || !proc.exists("/sys/block/" + device)) {
                continue;
            }
            Map<String, String> labels = Map.of("device", device);
            rate(out, keys, device, "disk_reads_per_second", Double.parseDouble(f[3]), 1, nowMillis, labels);
            rate(out, keys, device, "disk_read_bytes_per_second", Double.parseDouble(f[5]), 512, nowMillis, labels);
            rate(out, keys, device, "disk_writes_per_second", Double.parseDouble(f[7]), 1, nowMillis, labels);
            rate(out, keys, device, "disk_write_bytes_per_second", Double.parseDouble(f[9]), 512, nowMillis, labels);
            // io_ticks is in milliseconds: ms busy per second / 10 = percent.
            rate(out, keys, device, "disk_busy_percent", Double.parseDouble(f[12]), 0.1, nowMillis, labels);
        }
        rates.retainOnly(keys);
    }

    private void rate(Consumer<MetricPoint> out, Set<String> keys, String device, String metric, double counter, double scale,
            long nowMillis, Map<String, String> labels) {
        String key = device + '/' + metric;
        keys.add(key);
        double perSecond = rates.perSecond(key, counter, nowMillis);
        if (!Double.isNaN(perSecond)) {
            out.accept(MetricPoint.of(metric, labels, Math.min(perSecond * scale, metric.endsWith("percent") ? 100 : Double.MAX_VALUE)));
        }
    }
}
