package io.opsbase.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.xerial.snappy.Snappy;

import io.opsbase.auth.Role;
import io.opsbase.testing.ApiClient;
import io.opsbase.testing.TestUsers;

/** The remote-write receiver: fed by a real Prometheus (Debian's package), and refusing bad requests whole. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestUsers.class)
class RemoteWriteTest {

    private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");

    @LocalServerPort
    int port;

    @Autowired
    TestUsers users;

    @TempDir
    Path dir;

    ApiClient admin;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void setUp() {
        admin = ApiClient.at(port).withBearer(users.tokenFor(Role.ADMIN));
    }

    @Test
    void aRealPrometheusWritesItsScrapesIntoTheCisSeries() throws Exception {
        assertThat(Files.isExecutable(PROMETHEUS)).as("install Debian's prometheus (.ci/run and ./opsbase test do)").isTrue();
        long ci = newCi();
        int promPort = freePort();
        Files.writeString(dir.resolve("prometheus.yml"), """
                global:
                  scrape_interval: 1s
                  external_labels:
                    ci: "%d"
                scrape_configs:
                  - job_name: prometheus
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                remote_write:
                  - url: http://127.0.0.1:%d/api/v1/metrics/write
                    authorization:
                      credentials: %s
                    queue_config:
                      batch_send_deadline: 1s
                """.formatted(ci, promPort, port, users.tokenFor(Role.OPERATOR)));
        Process prometheus = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + promPort)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() ->
                    admin.get("/api/v1/metrics/series?ci=" + ci + "&name=up").json().get("items").size() == 1);
            String up = "up{ci=\"" + ci + "\",instance=\"127.0.0.1:" + promPort + "\",job=\"prometheus\"}";
            var graph = admin.get("/api/v1/metrics/query?series=" + URLEncoder.encode(up, StandardCharsets.UTF_8)
                    + "&from=" + Instant.now().minusSeconds(300) + "&to=" + Instant.now().plusSeconds(60) + "&width=10");
            assertThat(graph.json().get("series")).as(Files.readString(dir.resolve("prometheus.log"))).hasSize(1);
            assertThat(graph.json().get("series").get(0).get("columns")).allSatisfy(c -> assertThat(c.get("max").asDouble()).isEqualTo(1.0));
            assertThat(admin.get("/api/v1/metrics/series?ci=" + ci).json().get("items").size()).isGreaterThan(50);
        } finally {
            prometheus.destroy();
            prometheus.waitFor();
        }
    }

    @Test
    void badRequestsAreRefusedWholeAndNothingIsStored() throws Exception {
        long ci = newCi();
        long now = System.currentTimeMillis();
        String operator = users.tokenFor(Role.OPERATOR);

        assertThat(post(operator, Snappy.compress(writeRequest(Map.of("__name__", "ok_metric", "ci", Long.toString(ci)), now, 1.0))))
                .isEqualTo(204);
        assertThat(admin.get("/api/v1/metrics/series?ci=" + ci).json().get("items")).hasSize(1);

        assertThat(post(operator, "not snappy".getBytes(StandardCharsets.UTF_8))).isEqualTo(400);
        assertThat(post(operator, Snappy.compress(new byte[] {0x0a, 0x7f, 0x01}))).isEqualTo(400);
        assertThat(post(operator, Snappy.compress(writeRequest(Map.of("__name__", "no_ci"), now, 1.0)))).isEqualTo(400);
        assertThat(post(operator, Snappy.compress(writeRequest(Map.of("__name__", "other", "ci", "999999999"), now, 1.0)))).isEqualTo(400);
        assertThat(admin.get("/api/v1/metrics/series?ci=" + ci).json().get("items")).hasSize(1);

        // The good series again — now known by its label bytes — beside a bad one: still refused whole.
        byte[] mixed = concat(writeRequest(Map.of("__name__", "ok_metric", "ci", Long.toString(ci)), now + 1000, 2.0),
                writeRequest(Map.of("__name__", "bad-name", "ci", Long.toString(ci)), now + 1000, 2.0));
        assertThat(post(operator, Snappy.compress(mixed))).isEqualTo(400);
        // The same labels in another order are the same series.
        var reordered = new java.util.LinkedHashMap<String, String>();
        reordered.put("ci", Long.toString(ci));
        reordered.put("__name__", "ok_metric");
        assertThat(post(operator, Snappy.compress(writeRequest(reordered, now + 2000, 3.0)))).isEqualTo(204);
        assertThat(admin.get("/api/v1/metrics/series?ci=" + ci).json().get("items")).hasSize(1);

        byte[] valid = Snappy.compress(writeRequest(Map.of("__name__", "ok_metric", "ci", Long.toString(ci)), now, 1.0));
        assertThat(post(null, valid)).isEqualTo(401);
        assertThat(post(users.tokenFor(Role.VIEWER), valid)).isEqualTo(403);
    }

    private int post(String token, byte[] body) throws Exception {
        var b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/metrics/write"))
                .header("Content-Type", "application/x-protobuf").header("Content-Encoding", "snappy")
                .header("X-Prometheus-Remote-Write-Version", "0.1.0").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /**
     * A WriteRequest with one series and one sample, in protobuf wire format; labels sorted by name
     * unless given as a {@link java.util.LinkedHashMap}, whose order is kept.
     */
    static byte[] writeRequest(Map<String, String> labels, long timestamp, double value) {
        ByteArrayOutputStream series = new ByteArrayOutputStream();
        (labels instanceof java.util.LinkedHashMap ? labels : new java.util.TreeMap<>(labels)).forEach((k, v) -> {
            ByteArrayOutputStream label = new ByteArrayOutputStream();
            field(label, 1, k.getBytes(StandardCharsets.UTF_8));
            field(label, 2, v.getBytes(StandardCharsets.UTF_8));
            field(series, 1, label.toByteArray());
        });
        ByteArrayOutputStream sample = new ByteArrayOutputStream();
        sample.write(0x09);
        sample.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(value).array());
        sample.write(0x10);
        varint(sample, timestamp);
        field(series, 2, sample.toByteArray());
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        field(request, 1, series.toByteArray());
        return request.toByteArray();
    }

    private static void field(ByteArrayOutputStream out, int number, byte[] bytes) {
        varint(out, (number << 3) | 2);
        varint(out, bytes.length);
        out.writeBytes(bytes);
    }

    private static void varint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    private long newCi() {
        var created = admin.post("/api/v1/cis", Map.of("class", "Server", "name", "rw-" + UUID.randomUUID().toString().substring(0, 8)));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asLong();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
