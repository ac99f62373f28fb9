package io.opsbase.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;

import io.opsbase.agents.AgentService;
import io.opsbase.agents.EnrollmentTokenService;
import io.opsbase.auth.Role;
import io.opsbase.metrics.DiskMetricStore;
import io.opsbase.metrics.MetricStore;
import io.opsbase.metrics.SeriesKey;
import io.opsbase.metrics.StoreConfig;
import io.opsbase.monitoring.internal.IngestQueueTest;
import io.opsbase.protocol.MetricSample;
import io.opsbase.protocol.MetricsBatchRequest;
import io.opsbase.protocol.ProtocolJson;
import io.opsbase.protocol.signing.RequestSigner;
import io.opsbase.testing.ApiClient;
import io.opsbase.testing.TestUsers;

/**
 * A saturated ingest queue over real HTTP: the store's WAL writes are held, so two batches (the
 * bound) wait to become durable; the next is answered 429 with Retry-After and nothing of it is
 * kept. Once writes go on, the held batches are acknowledged, the refused one is sent again, and
 * every sample is stored exactly once.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"opsbase.monitoring.queue-capacity=2", "opsbase.monitoring.consumers=1", "opsbase.monitoring.retry-after=7s"})
@Import({TestUsers.class, BackpressureTest.HeldStore.class})
class BackpressureTest {

    @TestConfiguration(proxyBeanMethods = false)
    static class HeldStore {
        static final IngestQueueTest.HeldDisk DISK = new IngestQueueTest.HeldDisk();

        @Bean(destroyMethod = "close")
        @Primary
        MetricStore heldMetricStore() throws IOException {
            return DiskMetricStore.open(StoreConfig.defaults(Files.createTempDirectory("held-store")).withDisk(DISK));
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    TestUsers users;

    @Autowired
    EnrollmentTokenService tokens;

    @Autowired
    AgentService agents;

    @Autowired
    MetricStore store;

    @Autowired
    io.opsbase.monitoring.internal.IngestQueue queue;

    // HTTP/1.1: with h2c upgrade, the JDK client holds later requests until the first exchange
    // (the one the test keeps waiting) tells it whether the connection speaks HTTP/2.
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void aFullQueueAnswers429AndTheBatchSentAgainArrivesOnce() throws Exception {
        var admin = ApiClient.at(port).withBearer(users.tokenFor(Role.ADMIN));
        long ci = admin.post("/api/v1/cis", Map.of("class", "Server", "name", "bp-" + UUID.randomUUID().toString().substring(0, 8)))
                .json().get("id").asLong();
        RequestSigner signer = enroll(ci);
        Instant base = Instant.now().minusSeconds(60);
        HeldStore.DISK.hold.set(true);

        CompletableFuture<HttpResponse<String>> first = sendAsync(signer, batch(base, 0));
        await().atMost(Duration.ofSeconds(10)).until(() -> HeldStore.DISK.waiting.getCount() == 0);
        CompletableFuture<HttpResponse<String>> second = sendAsync(signer, batch(base, 1));
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            if (second.isDone()) {
                throw new AssertionError("the second batch was answered at once: " + second.get().statusCode() + " " + second.get().body());
            }
            return queue.inFlight() == 2;
        });
        MetricsBatchRequest third = batch(base, 2);
        HttpResponse<String> refused = sendAsync(signer, third).get();

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("7");
        assertThat(refused.body()).contains("too-many-requests");
        assertThat(first).isNotDone();

        HeldStore.DISK.release.countDown();
        assertThat(first.get().statusCode()).isEqualTo(200);
        assertThat(second.get().statusCode()).isEqualTo(200);
        assertThat(sendAsync(signer, third).get().body()).contains("ACCEPTED");

        var id = store.find(SeriesKey.of("queue_probe", Map.of("ci", Long.toString(ci)))).orElseThrow();
        assertThat(store.raw(id, 0, Long.MAX_VALUE).size()).isEqualTo(30);
    }

    private static MetricsBatchRequest batch(Instant base, int n) {
        List<MetricSample> samples = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            samples.add(new MetricSample("queue_probe", Map.of(), base.plusSeconds(n * 10L + i), i));
        }
        return new MetricsBatchRequest("bp-" + n + "-" + UUID.randomUUID(), samples);
    }

    private CompletableFuture<HttpResponse<String>> sendAsync(RequestSigner signer, MetricsBatchRequest batch) {
        byte[] body = ProtocolJson.write(batch);
        String path = "/api/v1/agent/metrics";
        var b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", "application/json");
        signer.sign("POST", path, body).asMap().forEach(b::header);
        return http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private RequestSigner enroll(long ciId) throws Exception {
        return io.opsbase.testing.SignedAgents.enroll(http, port, tokens, agents, ciId, "backpressure test");
    }

}
