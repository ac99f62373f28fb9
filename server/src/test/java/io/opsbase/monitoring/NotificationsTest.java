package io.opsbase.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;

import io.opsbase.auth.Role;
import io.opsbase.monitoring.internal.AlertEvaluator;
import io.opsbase.monitoring.internal.IngestQueue;
import io.opsbase.monitoring.internal.NotificationDispatcher;
import io.opsbase.protocol.MetricSample;
import io.opsbase.protocol.ProtocolJson;
import io.opsbase.testing.ApiClient;
import io.opsbase.testing.MutableClock;
import io.opsbase.testing.TestUsers;

import tools.jackson.databind.JsonNode;

/**
 * Alerts told through every channel type to real local receivers: an HTTP server standing in for
 * the webhook and chat robots (answering as each service documents) and GreenMail as the SMTP
 * server. Grouping, signatures, retries, resolutions, repeats and the delivery log.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"opsbase.monitoring.evaluate-every=1h", "opsbase.monitoring.notify-every=1h"})
@Import({TestUsers.class, NotificationsTest.Config.class})
class NotificationsTest {

    static final GreenMail SMTP = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    static final Receiver RECEIVER = new Receiver();

    static {
        SMTP.start();
    }

    @DynamicPropertySource
    static void mail(DynamicPropertyRegistry registry) {
        registry.add("spring.mail.host", () -> "127.0.0.1");
        registry.add("spring.mail.port", () -> SMTP.getSmtp().getPort());
    }

    @AfterAll
    static void stop() {
        SMTP.stop();
        RECEIVER.server.stop(0);
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class Config {
        @Bean
        @Primary
        MutableClock notificationsClock() {
            return new MutableClock(Instant.parse("2026-11-28T09:00:00Z"));
        }
    }

    /** A local HTTP receiver: records every request per path and answers what the test set for it. */
    static final class Receiver {
        record Request(String path, String query, Map<String, String> headers, String body) {
            JsonNode json() {
                return ProtocolJson.mapper().readTree(body);
            }
        }

        final HttpServer server;
        final List<Request> requests = new CopyOnWriteArrayList<>();
        final Map<String, Queue<int[]>> statuses = new ConcurrentHashMap<>();
        final Map<String, String> answers = new ConcurrentHashMap<>();

        Receiver() {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            server.createContext("/", exchange -> {
                String path = exchange.getRequestURI().getPath();
                Map<String, String> headers = new LinkedHashMap<>();
                exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), v.getFirst()));
                requests.add(new Request(path, exchange.getRequestURI().getRawQuery(), headers,
                        new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
                int[] status = statuses.getOrDefault(path, new ConcurrentLinkedQueue<>()).poll();
                byte[] body = answers.getOrDefault(path, "ok").getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(status == null ? 200 : status[0], body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
        }

        String url(String path) {
            return "http://127.0.0.1:" + server.getAddress().getPort() + path;
        }

        List<Request> at(String path) {
            return requests.stream().filter(r -> r.path().equals(path)).toList();
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    TestUsers users;

    @Autowired
    MutableClock clock;

    @Autowired
    IngestQueue ingest;

    @Autowired
    AlertEvaluator evaluator;

    @Autowired
    NotificationDispatcher dispatcher;

    ApiClient admin;

    @BeforeEach
    void setUp() {
        admin = ApiClient.at(port).withBearer(users.tokenFor(Role.ADMIN));
    }

    @Test
    void alertsFiringTogetherAreOneSignedWebhookMessageAndTheirResolutionFollows() throws Exception {
        String path = "/hook-" + UUID.randomUUID();
        long channel = channel(Map.of("name", "hook " + path, "type", "webhook", "target", RECEIVER.url(path), "secret", "s3cret",
                "groupWait", "30s", "repeatEvery", "0"));
        try {
            long a = newCi();
            long b = newCi();
            String metric = "temp_" + UUID.randomUUID().toString().substring(0, 8);
            rule(metric, 50, "high");
            sample(a, metric, 80);
            sample(b, metric, 90);
            evaluator.evaluate();

            dispatcher.dispatch();
            assertThat(RECEIVER.at(path)).as("the group wait has not passed").isEmpty();
            clock.advance(Duration.ofSeconds(31));
            dispatcher.dispatch();

            assertThat(RECEIVER.at(path)).singleElement().satisfies(r -> {
                JsonNode body = r.json();
                assertThat(body.get("kind").asString()).isEqualTo("firing");
                assertThat(body.get("alerts")).hasSize(2);
                assertThat(r.headers().get("x-opsbase-signature")).isEqualTo("sha256="
                        + HexFormat.of().formatHex(hmac("s3cret", r.headers().get("x-opsbase-timestamp") + "." + r.body())));
            });

            clock.advance(Duration.ofSeconds(10));
            sample(a, metric, 10);
            sample(b, metric, 10);
            evaluator.evaluate();
            clock.advance(Duration.ofSeconds(31));
            dispatcher.dispatch();
            assertThat(RECEIVER.at(path)).hasSize(2);
            assertThat(RECEIVER.at(path).get(1).json().get("kind").asString()).isEqualTo("resolved");
        } finally {
            admin.delete("/api/v1/notification-channels/" + channel);
        }
    }

    @Test
    void aFailedDeliveryIsRetriedAndTheLogSaysWhy() throws Exception {
        String path = "/flaky-" + UUID.randomUUID();
        RECEIVER.statuses.put(path, new ConcurrentLinkedQueue<>(List.of(new int[] {500})));
        long channel = channel(Map.of("name", "flaky " + path, "type", "slack", "target", RECEIVER.url(path), "groupWait", "0s"));
        try {
            fireOne();
            dispatcher.dispatch();
            JsonNode first = admin.get("/api/v1/notification-deliveries?channel=" + channel).json().get("items").get(0);
            assertThat(first.get("status").asString()).isEqualTo("pending");
            assertThat(first.get("attempts").asInt()).isEqualTo(1);
            assertThat(first.get("lastError").asString()).contains("HTTP 500");

            clock.advance(Duration.ofSeconds(31));
            dispatcher.dispatch();
            JsonNode after = admin.get("/api/v1/notification-deliveries?channel=" + channel).json().get("items").get(0);
            assertThat(after.get("status").asString()).isEqualTo("sent");
            assertThat(after.get("attempts").asInt()).isEqualTo(2);
            assertThat(RECEIVER.at(path)).hasSize(2);
            assertThat(RECEIVER.at(path).get(1).json().get("text").asString()).contains("FIRING");
        } finally {
            admin.delete("/api/v1/notification-channels/" + channel);
        }
    }

    @Test
    void chatRobotsGetTheirOwnFormatsAndSignaturesAndARefusalIsAFailure() throws Exception {
        String ding = "/ding-" + UUID.randomUUID();
        String wecom = "/wecom-" + UUID.randomUUID();
        String feishu = "/feishu-" + UUID.randomUUID();
        String refusing = "/refusing-" + UUID.randomUUID();
        RECEIVER.answers.put(ding, "{\"errcode\":0,\"errmsg\":\"ok\"}");
        RECEIVER.answers.put(wecom, "{\"errcode\":0,\"errmsg\":\"ok\"}");
        RECEIVER.answers.put(feishu, "{\"code\":0,\"msg\":\"success\"}");
        RECEIVER.answers.put(refusing, "{\"errcode\":310000,\"errmsg\":\"keywords not in content\"}");
        List<Long> channels = new ArrayList<>();
        channels.add(channel(Map.of("name", "ding " + ding, "type", "dingtalk", "target", RECEIVER.url(ding) + "?access_token=tok",
                "secret", "SECdingtalk", "groupWait", "0s")));
        channels.add(channel(Map.of("name", "wecom " + wecom, "type", "wecom", "target", RECEIVER.url(wecom) + "?key=k", "groupWait", "0s")));
        channels.add(channel(Map.of("name", "feishu " + feishu, "type", "feishu", "target", RECEIVER.url(feishu), "secret", "fsecret",
                "groupWait", "0s")));
        long refused = channel(Map.of("name", "refusing " + refusing, "type", "dingtalk", "target", RECEIVER.url(refusing),
                "groupWait", "0s"));
        channels.add(refused);
        try {
            fireOne();
            dispatcher.dispatch();

            var d = RECEIVER.at(ding).getFirst();
            assertThat(d.json().get("msgtype").asString()).isEqualTo("markdown");
            assertThat(d.query()).contains("access_token=tok", "timestamp=", "sign=");
            long ts = Long.parseLong(d.query().replaceAll(".*timestamp=(\\d+).*", "$1"));
            String sign = java.net.URLDecoder.decode(d.query().replaceAll(".*sign=([^&]+).*", "$1"), StandardCharsets.UTF_8);
            assertThat(sign).isEqualTo(java.util.Base64.getEncoder().encodeToString(hmac("SECdingtalk", ts + "\nSECdingtalk")));
            assertThat(RECEIVER.at(wecom).getFirst().json().get("markdown").get("content").asString()).contains("FIRING");
            var f = RECEIVER.at(feishu).getFirst().json();
            assertThat(f.get("msg_type").asString()).isEqualTo("text");
            assertThat(f.get("sign").asString()).isEqualTo(java.util.Base64.getEncoder().encodeToString(
                    hmacKeyOnly(f.get("timestamp").asString() + "\nfsecret")));
            JsonNode log = admin.get("/api/v1/notification-deliveries?channel=" + refused).json().get("items").get(0);
            assertThat(log.get("lastError").asString()).contains("errcode 310000", "keywords not in content");
        } finally {
            channels.forEach(c -> admin.delete("/api/v1/notification-channels/" + c));
        }
    }

    @Test
    void anEmailReachesTheSmtpServerAndAnUnacknowledgedAlertIsToldAgain() throws Exception {
        String address = "oncall-" + UUID.randomUUID().toString().substring(0, 6) + "@example.net";
        long channel = channel(Map.of("name", "mail " + address, "type", "email", "target", address, "groupWait", "0s",
                "repeatEvery", "5m"));
        try {
            long alertId = fireOne();
            dispatcher.dispatch();
            assertThat(mailsTo(address)).singleElement().satisfies(m -> assertThat(m).contains("FIRING"));

            clock.advance(Duration.ofMinutes(6));
            dispatcher.dispatch();
            dispatcher.dispatch();
            assertThat(mailsTo(address)).hasSize(2);
            assertThat(mailsTo(address).get(1)).contains("Still firing");

            admin.post("/api/v1/alerts/" + alertId + "/acknowledge", Map.of("comment", "on it"));
            clock.advance(Duration.ofMinutes(6));
            dispatcher.dispatch();
            assertThat(mailsTo(address)).hasSize(2);
        } finally {
            admin.delete("/api/v1/notification-channels/" + channel);
        }
    }

    @Test
    void channelsAreAdminOnlyValidatedMaskedAndTestable() {
        String path = "/test-" + UUID.randomUUID();
        var bad = admin.post("/api/v1/notification-channels", Map.of("name", "", "type", "pager", "target", "ftp://x", "repeatEvery", "1m"));
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.body()).contains("\"name\"", "\"type\"", "\"repeatEvery\"");
        var badUrl = admin.post("/api/v1/notification-channels", Map.of("name", "u " + path, "type", "slack", "target", "ftp://x"));
        assertThat(badUrl.status()).isEqualTo(422);

        long channel = channel(Map.of("name", "masked " + path, "type", "dingtalk",
                "target", RECEIVER.url(path) + "?access_token=verysecret"));
        try {
            JsonNode shown = admin.get("/api/v1/notification-channels/" + channel).json();
            assertThat(shown.toString()).doesNotContain("verysecret");
            assertThat(ApiClient.at(port).withBearer(users.tokenFor(Role.VIEWER)).get("/api/v1/notification-channels").status())
                    .isEqualTo(403);
            assertThat(ApiClient.at(port).withBearer(users.tokenFor(Role.OPERATOR))
                    .post("/api/v1/notification-channels", Map.of("name", "op", "type", "slack", "target", RECEIVER.url("/x"))).status())
                    .isEqualTo(403);
            RECEIVER.answers.put(path, "{\"errcode\":0}");
            var test = admin.post("/api/v1/notification-channels/" + channel + "/test", Map.of());
            assertThat(test.status()).as(test.body()).isEqualTo(200);
            assertThat(test.json().get("status").asString()).isEqualTo("sent");
            assertThat(RECEIVER.at(path).getFirst().body()).contains("Test message");
        } finally {
            admin.delete("/api/v1/notification-channels/" + channel);
        }
    }

    // --- fixtures

    private long fireOne() throws Exception {
        long ci = newCi();
        String metric = "err_" + UUID.randomUUID().toString().substring(0, 8);
        rule(metric, 1, "disaster");
        sample(ci, metric, 5);
        evaluator.evaluate();
        return admin.get("/api/v1/alerts?ci=" + ci).json().get("items").get(0).get("id").asLong();
    }

    private List<String> mailsTo(String address) throws Exception {
        List<String> out = new ArrayList<>();
        for (var m : SMTP.getReceivedMessages()) {
            if (m.getAllRecipients()[0].toString().equals(address)) {
                out.add(m.getSubject() + "\n" + com.icegreen.greenmail.util.GreenMailUtil.getBody(m));
            }
        }
        return out;
    }

    private long channel(Map<String, Object> body) {
        var r = admin.post("/api/v1/notification-channels", body);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("id").asLong();
    }

    private void rule(String metric, double threshold, String severity) {
        var r = admin.post("/api/v1/alert-rules", Map.of("name", "rule " + metric, "metric", metric, "operator", ">",
                "threshold", threshold, "window", "1m", "severity", severity));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
    }

    private void sample(long ci, String metric, double value) throws Exception {
        ingest.offer(ci, List.of(new MetricSample(metric, Map.of(), clock.instant(), value))).orElseThrow().get();
    }

    private long newCi() {
        var created = admin.post("/api/v1/cis", Map.of("class", "Server", "name", "nt-" + UUID.randomUUID().toString().substring(0, 8)));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asLong();
    }

    static byte[] hmac(String key, String message) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] hmacKeyOnly(String key) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return mac.doFinal(new byte[0]);
    }

}
