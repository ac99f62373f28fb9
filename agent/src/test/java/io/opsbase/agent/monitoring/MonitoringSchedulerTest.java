package io.opsbase.agent.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.opsbase.agent.collectors.ProcFiles;
import io.opsbase.agent.outbox.Outbox;
import io.opsbase.agent.outbox.OutboxLimits;
import io.opsbase.agent.plugins.CheckPlugin;
import io.opsbase.agent.plugins.PluginRunner;
import io.opsbase.agent.plugins.PrometheusScraper;
import io.opsbase.agent.plugins.PrometheusTextParser;
import io.opsbase.agent.plugins.ScriptPlugin;
import io.opsbase.protocol.MetricSample;
import io.opsbase.protocol.MetricsBatchRequest;
import io.opsbase.protocol.MonitoringItem;
import io.opsbase.protocol.ProtocolJson;

/** Real collectors, a real check from monitoring-plugins-basic and a scrape of a closed port, through the real outbox. */
class MonitoringSchedulerTest {

    @TempDir
    Path dir;

    @Test
    void runsCollectorsChecksAndScrapesOnTheirIntervalsIntoTheOutbox() throws Exception {
        Outbox outbox = Outbox.open(dir, OutboxLimits.STANDARD, Clock.systemUTC());
        PluginRunner runner = new PluginRunner(2);
        var parser = new PrometheusTextParser(10_000);
        try (var scheduler = new MonitoringScheduler(new BuiltInCollectors(ProcFiles.host(), outbox::size, outbox::bytes),
                new CheckPlugin(runner), new ScriptPlugin(runner, parser), new PrometheusScraper(HttpClient::newHttpClient, parser),
                new SampleBatcher(outbox, 10_000), Clock.systemUTC(), Duration.ofMillis(500))) {
            var applied = scheduler.apply(List.of(
                    MonitoringItem.collector("memory", Duration.ofSeconds(1)),
                    MonitoringItem.collector("nonsense", Duration.ofSeconds(1)),
                    new MonitoringItem("load", MonitoringItem.CHECK, "/usr/lib/nagios/plugins/check_load",
                            List.of("-w", "1000,1000,1000", "-c", "2000,2000,2000"), Duration.ofSeconds(1), Duration.ofSeconds(5), 0, null),
                    new MonitoringItem("app", MonitoringItem.PROMETHEUS, "http://127.0.0.1:9/metrics", List.of(),
                            Duration.ofSeconds(1), Duration.ofSeconds(1), 0, null)));
            assertThat(applied).containsExactly("app", "load", "memory");

            List<MetricSample> received = new CopyOnWriteArrayList<>();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                drain(outbox, received);
                return has(received, "memory_total_bytes") && has(received, "check_state") && received.stream()
                        .anyMatch(s -> s.name().equals("up") && "app".equals(s.labels().get("item")) && s.value() == 0);
            });
            assertThat(received).filteredOn(s -> s.name().equals("check_perfdata"))
                    .extracting(s -> s.labels().get("label")).contains("load1", "load5", "load15");

            assertThat(scheduler.apply(List.of(MonitoringItem.collector("memory", Duration.ofSeconds(1))))).containsExactly("memory");
        }
    }

    private static boolean has(List<MetricSample> samples, String name) {
        return samples.stream().anyMatch(s -> s.name().equals(name));
    }

    private static void drain(Outbox outbox, List<MetricSample> into) throws Exception {
        while (true) {
            var entry = outbox.oldest();
            if (entry.isEmpty()) {
                return;
            }
            into.addAll(new ArrayList<>(ProtocolJson.read(entry.get().body(), MetricsBatchRequest.class).samples()));
            outbox.remove(entry.get().sequence());
        }
    }
}
