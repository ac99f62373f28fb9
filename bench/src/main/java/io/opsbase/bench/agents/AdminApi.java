package io.opsbase.bench.agents;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

import io.opsbase.protocol.ProtocolJson;
import tools.jackson.databind.JsonNode;

/**
 * The administrator's side of a load run, through the public API only: a personal access token,
 * an auto-approving enrollment token, the agent registry, pings, CI history, and the server's
 * Prometheus metrics. Thread-safe.
 */
final class AdminApi {

    private final HttpClient http;
    private final URI base;
    private final String token;

    private AdminApi(HttpClient http, URI base, String token) {
        this.http = http;
        this.base = base;
        this.token = token;
    }

    static AdminApi withToken(HttpClient http, URI base, String token) {
        return new AdminApi(http, base, token);
    }

    /** Trades the password for a token (the only call that accepts HTTP Basic); the password is not kept. */
    static AdminApi login(HttpClient http, URI base, String user, String password) throws IOException, InterruptedException {
        String basic = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        var r = http.send(HttpRequest.newBuilder(base.resolve("/api/v1/tokens")).header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"agent-load\", \"expiresIn\": \"P1D\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("login as " + user + " failed: " + r.statusCode() + " " + r.body());
        }
        return new AdminApi(http, base, json(r.body()).get("token").asString());
    }

    /** A token for {@code uses} enrollments whose hosts are approved into the CMDB without a queue. */
    String autoApprovingEnrollmentToken(int uses) throws IOException, InterruptedException {
        JsonNode t = call("POST", "/api/v1/enrollment-tokens", """
                {"uses": %d, "expiresIn": "PT6H", "autoApprove": true, "description": "agent-load benchmark"}""".formatted(uses), 201);
        return t.get("token").asString();
    }

    /** Counts registered agents by status, paging through the registry. */
    java.util.Map<String, Integer> agentsByStatus() throws IOException, InterruptedException {
        var counts = new java.util.TreeMap<String, Integer>();
        String cursor = null;
        do {
            JsonNode page = call("GET", "/api/v1/agents?limit=1000" + (cursor == null ? "" : "&cursor=" + cursor), null, 200);
            for (JsonNode a : page.get("items")) {
                counts.merge(a.get("status").asString(), 1, Integer::sum);
                if (a.get("ciId").isNull()) {
                    counts.merge("without-ci", 1, Integer::sum);
                }
            }
            cursor = page.get("next").isNull() ? null : page.get("next").asString();
        } while (cursor != null);
        return counts;
    }

    /** Every agent's CI id by agent id (agents without a CI left out), paging through the registry. */
    java.util.Map<String, Long> ciByAgent() throws IOException, InterruptedException {
        var cis = new java.util.HashMap<String, Long>();
        String cursor = null;
        do {
            JsonNode page = call("GET", "/api/v1/agents?limit=1000" + (cursor == null ? "" : "&cursor=" + cursor), null, 200);
            for (JsonNode a : page.get("items")) {
                if (!a.get("ciId").isNull()) {
                    cis.put(Long.toString(a.get("id").asLong()), a.get("ciId").asLong());
                }
            }
            cursor = page.get("next").isNull() ? null : page.get("next").asString();
        } while (cursor != null);
        return cis;
    }

    /** The bearer token, for calls made outside this class (remote write). */
    String token() {
        return token;
    }

    /** Sends a ping and returns its task id. */
    long ping(String agentId) throws IOException, InterruptedException {
        return call("POST", "/api/v1/agents/" + agentId + "/ping", "", 201).get("id").asLong();
    }

    boolean taskCompleted(String agentId, long taskId) throws IOException, InterruptedException {
        JsonNode t = call("GET", "/api/v1/agents/" + agentId + "/tasks/" + taskId, null, 200);
        return !t.get("completedAt").isNull() && "pong\n".equals(t.get("output").asString());
    }

    Optional<Long> ciOf(String agentId) throws IOException, InterruptedException {
        JsonNode a = call("GET", "/api/v1/agents/" + agentId, null, 200);
        return a.get("ciId").isNull() ? Optional.empty() : Optional.of(a.get("ciId").asLong());
    }

    /** The CI's history rows written by discovery (newest first, at most 200). */
    java.util.List<JsonNode> discoveryHistory(long ciId) throws IOException, InterruptedException {
        var rows = new java.util.ArrayList<JsonNode>();
        for (JsonNode h : call("GET", "/api/v1/cis/" + ciId + "/history?limit=200", null, 200).get("items")) {
            if ("discovery".equals(h.get("source").asString())) {
                rows.add(h);
            }
        }
        return rows;
    }

    int openDiscoveryCases() throws IOException, InterruptedException {
        return call("GET", "/api/v1/discovery/queue?status=open&limit=200", null, 200).get("items").size();
    }

    /** The Prometheus exposition text ({@code /actuator/prometheus}). */
    String prometheus() throws IOException, InterruptedException {
        var r = http.send(HttpRequest.newBuilder(base.resolve("/actuator/prometheus")).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 ? r.body() : "";
    }

    private JsonNode call(String method, String path, String body, int expected) throws IOException, InterruptedException {
        var b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token).header("Accept", "application/json");
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        var r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != expected) {
            throw new IllegalStateException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return json(r.body());
    }

    private static JsonNode json(String text) {
        return ProtocolJson.mapper().readTree(text);
    }
}
