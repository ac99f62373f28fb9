package io.opsbase.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

import io.opsbase.metrics.Disk;
import io.opsbase.metrics.LocalDisk;

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
import io.opsbase.metrics.StoreConfig;
import io.opsbase.protocol.MetricSample;
import io.opsbase.protocol.MetricsBatchRequest;
import io.opsbase.protocol.ProtocolJson;
import io.opsbase.protocol.signing.RequestSigner;
import io.opsbase.testing.ApiClient;
import io.opsbase.testing.TestUsers;

/**
 * A batch whose WAL sync fails is not acknowledged: the agent gets a 500 problem (with the request
 * id it sent) on the async answer, and keeps the batch; once the disk works again a new store
 * would take it. The store here fails only its syncs, only while {@code failing} is set.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import({TestUsers.class, FailedSyncTest.FailingStore.class})
class FailedSyncTest {

    @TestConfiguration(proxyBeanMethods = false)
    static class FailingStore {
        static final AtomicBoolean FAILING = new AtomicBoolean();

        @Bean(destroyMethod = "close")
        @Primary
        MetricStore failingMetricStore() throws IOException {
            Disk local = new LocalDisk();
            Disk failing = (Disk) java.lang.reflect.Proxy.newProxyInstance(Disk.class.getClassLoader(), new Class<?>[] {Disk.class},
                    (proxy, method, args) -> {
                        Object result;
                        try {
                            result = method.invoke(local, args);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            throw e.getCause();
                        }
                        return method.getName().equals("openAppend") ? failingSync((Disk.AppendLog) result) : result;
                    });
            return DiskMetricStore.open(StoreConfig.defaults(Files.createTempDirectory("failing-store")).withDisk(failing));
        }

        private static Disk.AppendLog failingSync(Disk.AppendLog log) {
            return new Disk.AppendLog() {
                @Override
                public void write(ByteBuffer bytes) throws IOException {
                    log.write(bytes);
                }

                @Override
                public void sync() throws IOException {
                    if (FAILING.get()) {
                        throw new IOException("injected: fsync failed");
                    }
                    log.sync();
                }

                @Override
                public long size() throws IOException {
                    return log.size();
                }

                @Override
                public void close() throws IOException {
                    log.close();
                }
            };
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

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void aBatchWhoseSyncFailsIsAnsweredWithAProblemAndNotAcknowledged() throws Exception {
        var admin = ApiClient.at(port).withBearer(users.tokenFor(Role.ADMIN));
        long ci = admin.post("/api/v1/cis", Map.of("class", "Server", "name", "fs-" + UUID.randomUUID().toString().substring(0, 8)))
                .json().get("id").asLong();
        RequestSigner signer = enroll(ci);
        Instant base = Instant.now().minusSeconds(60);

        HttpResponse<String> ok = send(signer, batch(base, 0), "req-ok-1");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(ok.body()).contains("ACCEPTED");

        FailingStore.FAILING.set(true);
        HttpResponse<String> failed = send(signer, batch(base, 1), "req-failed-1");

        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(failed.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(failed.body()).contains("/problems/internal").contains("req-failed-1").doesNotContain("ACCEPTED");
    }

    private static MetricsBatchRequest batch(Instant base, int n) {
        List<MetricSample> samples = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            samples.add(new MetricSample("sync_probe", Map.of(), base.plusSeconds(n * 10L + i), i));
        }
        return new MetricsBatchRequest("fs-" + n + "-" + UUID.randomUUID(), samples);
    }

    private HttpResponse<String> send(RequestSigner signer, MetricsBatchRequest batch, String requestId) throws Exception {
        byte[] body = ProtocolJson.write(batch);
        String path = "/api/v1/agent/metrics";
        var b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", "application/json").header("X-Request-Id", requestId);
        signer.sign("POST", path, body).asMap().forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private RequestSigner enroll(long ciId) throws Exception {
        return io.opsbase.testing.SignedAgents.enroll(http, port, tokens, agents, ciId, "failed sync test");
    }

}
