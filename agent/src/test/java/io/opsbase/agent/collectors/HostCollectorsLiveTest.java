package io.opsbase.agent.collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.opsbase.agent.plugins.MetricPoint;

/** Every collector once live on this machine, checked against what the JDK and the kernel say directly. */
class HostCollectorsLiveTest {

    private final ProcFiles host = ProcFiles.host();

    @Test
    void rootFilesystemSizeAndInodesMatchTheKernel() throws Exception {
        List<MetricPoint> points = new ArrayList<>();
        new FilesystemCollector(host).collect(System.currentTimeMillis(), points::add);

        FileStore root = Files.getFileStore(Path.of("/"));
        assertThat(points).filteredOn(p -> p.name().equals("filesystem_size_bytes") && p.labels().get("mount").equals("/"))
                .singleElement().satisfies(p -> assertThat(p.value()).isEqualTo((double) root.getTotalSpace()));
        assertThat(points).filteredOn(p -> p.name().equals("filesystem_inodes_total") && p.labels().get("mount").equals("/"))
                .singleElement().satisfies(p -> assertThat(p.value()).isPositive());
        assertThat(points).noneMatch(p -> p.labels().get("mount").startsWith("/proc"));
    }

    @Test
    void cpuSharesOfThisMachineAddUpToAHundred() {
        CpuCollector cpu = new CpuCollector(host);
        List<MetricPoint> points = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> {
            points.clear();
            cpu.collect(System.currentTimeMillis(), points::add);
            return !points.isEmpty();
        });
        double sum = points.stream().filter(p -> p.name().equals("cpu_percent") && p.labels().get("cpu").equals("total"))
                .mapToDouble(MetricPoint::value).sum();
        assertThat(sum).isCloseTo(100.0, within(1e-6));
    }

    @Test
    void everyCollectorReadsThisHost() throws Exception {
        List<Collector> collectors = List.of(new SystemCollector(host), new MemoryCollector(host), new TcpCollector(host),
                new DiskIoCollector(host), new NetworkCollector(host), new AgentHealthCollector(host, () -> 3, () -> 1234));
        List<MetricPoint> points = new ArrayList<>();
        for (Collector c : collectors) {
            c.collect(System.currentTimeMillis(), points::add);
        }
        long memTotalKb = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                .map(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElseThrow();
        assertThat(points).anySatisfy(p -> {
            assertThat(p.name()).isEqualTo("memory_total_bytes");
            assertThat(p.value()).isEqualTo(memTotalKb * 1024d);
        });
        assertThat(points).anySatisfy(p -> {
            assertThat(p.name()).isEqualTo("agent_rss_bytes");
            assertThat(p.value()).isGreaterThan(1 << 20);
        });
        assertThat(points).anySatisfy(p -> {
            assertThat(p.name()).isEqualTo("agent_outbox_entries");
            assertThat(p.value()).isEqualTo(3);
        });
        assertThat(points).anySatisfy(p -> assertThat(p.name()).isEqualTo("processes_total"));
        assertThat(points).anySatisfy(p -> assertThat(p.name()).isEqualTo("tcp_connections"));
    }
}
