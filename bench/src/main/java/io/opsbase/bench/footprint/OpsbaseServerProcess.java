package io.opsbase.bench.footprint;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * An Opsbase server started from its jar with a fresh data directory on a free port, for the
 * footprint run: it creates an admin API token and an auto-approving enrollment token through the
 * public API, serves the agent's install files, and reports the agent's status.
 */
final class OpsbaseServerProcess implements AutoCloseable {

    private static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"");

    private final Process process;
    private final URI base;
    private final String adminPassword;
    private final HttpClient http = HttpClient.newHttpClient();
    private String apiToken;

    private OpsbaseServerProcess(Process process, URI base, String adminPassword) {
        this.process = process;
        this.base = base;
        this.adminPassword = adminPassword;
    }

    static OpsbaseServerProcess start(String java, Path serverJar, Path dir, int port) throws IOException {
        var password = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        var builder = new ProcessBuilder(List.of(java, "-jar", serverJar.toString(), "--opsbase.data-dir=" + dir.resolve("server-data"),
                "--server.port=" + port, "--server.address=127.0.0.1"))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("server.log").toFile());
        builder.environment().put("OPSBASE_ADMIN_PASSWORD", password);
        return new OpsbaseServerProcess(builder.start(), URI.create("http://127.0.0.1:" + port), password);
    }

    URI base() {
        return base;
    }

    long pid() {
        return process.pid();
    }

    void awaitReady(Duration timeout) throws IOException, InterruptedException {
        var deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("the server exited with " + process.exitValue() + " during start-up; see server.log");
            }
            try {
                if (get("/actuator/health/readiness", false).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IOException("the server was not ready within " + timeout);
    }

    /** A one-use, auto-approving enrollment token. */
    String enrollmentToken() throws IOException, InterruptedException {
        var basic = Base64.getEncoder().encodeToString(("admin:" + adminPassword).getBytes(StandardCharsets.UTF_8));
        var created = http.send(HttpRequest.newBuilder(base.resolve("/api/v1/tokens"))
                .header("Authorization", "Basic " + basic).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"agent-footprint\",\"expiresIn\":\"P1D\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        apiToken = token(created);
        var enrollment = http.send(HttpRequest.newBuilder(base.resolve("/api/v1/enrollment-tokens"))
                .header("Authorization", "Bearer " + apiToken).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"uses\":1,\"expiresIn\":\"PT1H\",\"autoApprove\":true}")).build(),
                HttpResponse.BodyHandlers.ofString());
        return token(enrollment);
    }

    /** {@code GET /api/v1/agents}, as JSON text. */
    String agents() throws IOException, InterruptedException {
        return get("/api/v1/agents", true).body();
    }

    /** One of the install files the server serves at {@code /install/}. */
    byte[] installFile(String name) throws IOException, InterruptedException {
        var response = http.send(HttpRequest.newBuilder(base.resolve("/install/" + name)).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException("GET /install/" + name + " answered " + response.statusCode() + ": "
                    + new String(response.body(), StandardCharsets.UTF_8).strip());
        }
        return response.body();
    }

    private HttpResponse<String> get(String path, boolean authenticated) throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10));
        if (authenticated) {
            request.header("Authorization", "Bearer " + apiToken);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String token(HttpResponse<String> response) throws IOException {
        var matcher = TOKEN.matcher(response.body());
        if (response.statusCode() != 201 || !matcher.find()) {
            throw new IOException(response.request().uri().getPath() + " answered " + response.statusCode() + ": " + response.body());
        }
        return matcher.group(1);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
