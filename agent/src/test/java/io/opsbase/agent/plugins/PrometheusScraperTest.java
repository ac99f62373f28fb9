package io.opsbase.agent.plugins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

class PrometheusScraperTest {

    private static final Path NODE_EXPORTER = Path.of("/usr/bin/prometheus-node-exporter");

    private final PrometheusScraper scraper = new PrometheusScraper(HttpClient::newHttpClient, new PrometheusTextParser(100_000));

    @Test
    void scrapesARealNodeExporterAndReadsThisMachinesMemory() throws Exception {
        assertThat(Files.isExecutable(NODE_EXPORTER))
                .as("install Debian's prometheus-node-exporter (.ci/run and ./opsbase test do)").isTrue();
        int port = freePort();
        Process exporter = new ProcessBuilder(NODE_EXPORTER.toString(), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> listening(port));

            ScrapeResult result = scraper.scrape(URI.create("http://127.0.0.1:" + port + "/metrics"), Duration.ofSeconds(10), 10 << 20);

            long memTotalKb = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                    .map(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElseThrow();
            assertThat(result.points()).filteredOn(p -> p.name().equals("node_memory_MemTotal_bytes")).singleElement()
                    .satisfies(p -> assertThat(p.value()).isEqualTo(memTotalKb * 1024d));
            assertThat(result.types()).containsEntry("node_cpu_seconds_total", MetricType.COUNTER);
            assertThat(result.points()).anySatisfy(p -> assertThat(p.name()).isEqualTo("node_load1"));
        } finally {
            exporter.destroy();
            exporter.waitFor();
        }
    }

    @Test
    void readsGzipOpenMetricsAndRefusesErrorsAndOversizedBodies() throws Exception {
        AtomicReference<String> accept = new AtomicReference<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] openMetrics = gzip("# TYPE up gauge\nup 1\n# EOF\n");
        server.createContext("/metrics", exchange -> {
            accept.set(exchange.getRequestHeaders().getFirst("Accept"));
            exchange.getResponseHeaders().add("Content-Type", "application/openmetrics-text; version=1.0.0; charset=utf-8");
            exchange.getResponseHeaders().add("Content-Encoding", "gzip");
            exchange.sendResponseHeaders(200, openMetrics.length);
            exchange.getResponseBody().write(openMetrics);
            exchange.close();
        });
        server.createContext("/broken", exchange -> {
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
        });
        byte[] big = "x 1\n".repeat(1000).getBytes(StandardCharsets.UTF_8);
        server.createContext("/big", exchange -> {
            exchange.sendResponseHeaders(200, big.length);
            exchange.getResponseBody().write(big);
            exchange.close();
        });
        server.start();
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        try {
            ScrapeResult result = scraper.scrape(URI.create(base + "/metrics"), Duration.ofSeconds(5), 1024);
            assertThat(result.points()).singleElement().satisfies(p -> assertThat(p.name()).isEqualTo("up"));
            assertThat(accept.get()).startsWith("application/openmetrics-text");

            assertThatThrownBy(() -> scraper.scrape(URI.create(base + "/broken"), Duration.ofSeconds(5), 1024))
                    .isInstanceOf(PluginOutputException.class).hasMessageContaining("HTTP 503");
            assertThatThrownBy(() -> scraper.scrape(URI.create(base + "/big"), Duration.ofSeconds(5), 1024))
                    .isInstanceOf(PluginOutputException.class).hasMessageContaining("limit of 1024 bytes");
        } finally {
            server.stop(0);
        }
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
