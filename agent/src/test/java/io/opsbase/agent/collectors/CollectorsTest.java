package io.opsbase.agent.collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.opsbase.agent.plugins.MetricPoint;

/** The collectors against files recorded on a Debian 12 VM (2 vCPU, 24 GiB), changed between readings where a rate is asked. */
class CollectorsTest {

    @TempDir
    Path root;

    private ProcFiles recorded() throws IOException, URISyntaxException {
        Path source = Path.of(CollectorsTest.class.getResource("/procfs/debian12-vm").toURI());
        try (Stream<Path> files = Files.walk(source)) {
            for (Path p : files.toList()) {
                Path target = root.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return new ProcFiles(root);
    }

    private static List<MetricPoint> collect(Collector collector, long at) throws IOException {
        List<MetricPoint> points = new ArrayList<>();
        collector.collect(at, points::add);
        return points;
    }

    private static double value(List<MetricPoint> points, String name, Map<String, String> labels) {
        return points.stream().filter(p -> p.name().equals(name) && p.labels().equals(labels)).mapToDouble(MetricPoint::value)
                .findFirst().orElseThrow(() -> new AssertionError("no " + name + labels + " in " + points));
    }

    @Test
    void cpuSharesComeFromTheTicksBetweenTwoReadingsAndNothingBeforeTheSecond() throws Exception {
        ProcFiles proc = recorded();
        CpuCollector cpu = new CpuCollector(proc);
        Files.writeString(proc.resolve("/proc/stat"), "cpu  100 0 50 800 50 0 0 0 0 0\ncpu0 100 0 50 800 50 0 0 0 0 0\nintr 1\n");
        assertThat(collect(cpu, 1_000)).isEmpty();

        Files.writeString(proc.resolve("/proc/stat"), "cpu  160 0 70 900 70 0 0 0 0 0\ncpu0 160 0 70 900 70 0 0 0 0 0\nintr 2\n");
        List<MetricPoint> points = collect(cpu, 11_000);

        assertThat(value(points, "cpu_percent", Map.of("cpu", "total", "mode", "user"))).isEqualTo(30.0);
        assertThat(value(points, "cpu_percent", Map.of("cpu", "total", "mode", "system"))).isEqualTo(10.0);
        assertThat(value(points, "cpu_percent", Map.of("cpu", "total", "mode", "idle"))).isEqualTo(50.0);
        assertThat(value(points, "cpu_percent", Map.of("cpu", "0", "mode", "iowait"))).isEqualTo(10.0);
        assertThat(value(points, "cpu_used_percent", Map.of("cpu", "total"))).isEqualTo(40.0);
    }

    @Test
    void readsTheRecordedRealProcStatForEveryCoreAndMode() throws Exception {
        ProcFiles proc = recorded();
        CpuCollector cpu = new CpuCollector(proc);
        collect(cpu, 0);
        String stat = Files.readString(proc.resolve("/proc/stat")).replaceFirst("cpu  71540 ", "cpu  71640 ");
        Files.writeString(proc.resolve("/proc/stat"), stat);

        List<MetricPoint> points = collect(cpu, 10_000);

        assertThat(value(points, "cpu_percent", Map.of("cpu", "total", "mode", "user"))).isEqualTo(100.0);
        assertThat(points).filteredOn(p -> p.name().equals("cpu_percent") && p.labels().get("cpu").equals("total")).hasSize(8);
    }

    @Test
    void memoryLoadUptimeAndProcessesFromRecordedFiles() throws Exception {
        ProcFiles proc = recorded();

        List<MetricPoint> memory = collect(new MemoryCollector(proc), 0);
        List<MetricPoint> system = collect(new SystemCollector(proc), 0);

        assertThat(value(memory, "memory_total_bytes", Map.of())).isEqualTo(24684092d * 1024);
        assertThat(value(memory, "memory_available_bytes", Map.of())).isEqualTo(21240460d * 1024);
        assertThat(value(memory, "memory_used_percent", Map.of())).isCloseTo(100.0 * (24684092 - 21240460) / 24684092, within(1e-9));
        assertThat(value(memory, "swap_used_percent", Map.of())).isZero();
        assertThat(value(system, "system_load1", Map.of())).isEqualTo(7.09);
        assertThat(value(system, "system_load15", Map.of())).isEqualTo(1.86);
        assertThat(value(system, "threads_total", Map.of())).isEqualTo(418);
        assertThat(value(system, "system_uptime_seconds", Map.of())).isEqualTo(959.58);
        assertThat(value(system, "processes_running", Map.of())).isEqualTo(16);
        assertThat(value(system, "processes_total", Map.of())).isEqualTo(2); // the recorded /proc/1 and /proc/42
    }

    @Test
    void olderKernelsWithoutMemAvailableCountFreeBuffersAndCache() throws Exception {
        ProcFiles proc = recorded();
        Files.writeString(proc.resolve("/proc/meminfo"), """
                MemTotal:        1000 kB
                MemFree:          100 kB
                Buffers:          200 kB
                Cached:           300 kB
                SwapTotal:        400 kB
                SwapFree:         100 kB
                """);

        List<MetricPoint> memory = collect(new MemoryCollector(proc), 0);

        assertThat(value(memory, "memory_available_bytes", Map.of())).isEqualTo(600d * 1024);
        assertThat(value(memory, "memory_used_percent", Map.of())).isEqualTo(40.0);
        assertThat(value(memory, "swap_used_percent", Map.of())).isEqualTo(75.0);
    }

    @Test
    void diskRatesCoverWholeDisksOnlyAndSkipAReadingWhereACounterWentBack() throws Exception {
        ProcFiles proc = recorded();
        DiskIoCollector disks = new DiskIoCollector(proc);
        assertThat(collect(disks, 0)).isEmpty();
        String diskstats = Files.readString(proc.resolve("/proc/diskstats"));
        // vda: +100 reads, +2048 sectors read (1 MiB), +50 writes, +4096 sectors written, +500 ms busy, over 10 s.
        Files.writeString(proc.resolve("/proc/diskstats"), diskstats.replace(
                "vda 79509 15018 3295666 16397 213588 28386 9683592 26163 0 15600",
                "vda 79609 15018 3297714 16397 213638 28386 9687688 26163 0 16100"));

        List<MetricPoint> points = collect(disks, 10_000);

        Map<String, String> vda = Map.of("device", "vda");
        assertThat(value(points, "disk_reads_per_second", vda)).isEqualTo(10.0);
        assertThat(value(points, "disk_read_bytes_per_second", vda)).isEqualTo(2048 * 512 / 10.0);
        assertThat(value(points, "disk_writes_per_second", vda)).isEqualTo(5.0);
        assertThat(value(points, "disk_write_bytes_per_second", vda)).isEqualTo(4096 * 512 / 10.0);
        assertThat(value(points, "disk_busy_percent", vda)).isEqualTo(5.0);
        assertThat(points).allSatisfy(p -> assertThat(p.labels().get("device")).isEqualTo("vda"));

        Files.writeString(proc.resolve("/proc/diskstats"), diskstats); // counters back to the first reading: a reset
        assertThat(collect(disks, 20_000)).isEmpty();
    }

    @Test
    void networkRatesPerInterfaceWithoutLoopback() throws Exception {
        ProcFiles proc = recorded();
        NetworkCollector network = new NetworkCollector(proc);
        collect(network, 0);
        String dev = Files.readString(proc.resolve("/proc/net/dev"));
        Files.writeString(proc.resolve("/proc/net/dev"), dev.replace("eth0: 274067542    6742", "eth0: 274077542    6762"));

        List<MetricPoint> points = collect(network, 5_000);

        assertThat(value(points, "network_receive_bytes_per_second", Map.of("interface", "eth0"))).isEqualTo(2000.0);
        assertThat(value(points, "network_receive_packets_per_second", Map.of("interface", "eth0"))).isEqualTo(4.0);
        assertThat(value(points, "network_transmit_bytes_per_second", Map.of("interface", "eth0"))).isZero();
        assertThat(points).noneMatch(p -> p.labels().get("interface").equals("lo"));
    }

    @Test
    void tcpConnectionsByStateFromBothFamilies() throws Exception {
        List<MetricPoint> points = collect(new TcpCollector(recorded()), 0);

        assertThat(value(points, "tcp_connections", Map.of("state", "established"))).isEqualTo(4);
        assertThat(value(points, "tcp_connections", Map.of("state", "time_wait"))).isEqualTo(18);
        assertThat(value(points, "tcp_connections", Map.of("state", "listen"))).isEqualTo(13);
        assertThat(value(points, "tcp_connections", Map.of("state", "close_wait"))).isZero();
        assertThat(points).hasSize(TcpCollector.STATES.length - 1);
    }

    @Test
    void mountTableEscapesAreDecoded() {
        assertThat(FilesystemCollector.unescape("/mnt/my\\040disk")).isEqualTo("/mnt/my disk");
        assertThat(FilesystemCollector.unescape("/plain")).isEqualTo("/plain");
        assertThat(FilesystemCollector.unescape("/odd\\x")).isEqualTo("/odd\\x");
    }
}
