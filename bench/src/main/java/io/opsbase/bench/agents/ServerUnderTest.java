package io.opsbase.bench.agents;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The server a load run talks to: either one already running ({@code --server URL}), or the
 * server jar started here as a child process with a fresh data directory, a free port and a
 * generated admin password (given to it in {@code OPSBASE_ADMIN_PASSWORD}, never on the command
 * line). For a child the run can read its CPU time and resident memory from {@code /proc}.
 */
public final class ServerUnderTest implements AutoCloseable {

    private final URI base;
    private final Process process;
    private final String adminPassword;
    private final Path log;

    private ServerUnderTest(URI base, Process process, String adminPassword, Path log) {
        this.base = base;
        this.process = process;
        this.adminPassword = adminPassword;
        this.log = log;
    }

    public static ServerUnderTest external(URI base) {
        return new ServerUnderTest(base, null, null, null);
    }

    /**
     * Starts {@code java [jvmArgs] -jar jar --opsbase.data-dir=… --server.port=… [serverArgs]}
     * and waits until it answers its readiness probe.
     */
    public static ServerUnderTest start(Path jar, Path dataDir, List<String> jvmArgs, List<String> serverArgs, HttpClient http)
            throws IOException, InterruptedException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException(jar + " not found: build it with ./mvnw -B -pl agent,server -am package -DskipTests");
        }
        Files.createDirectories(dataDir);
        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        byte[] secret = new byte[18];
        new SecureRandom().nextBytes(secret);
        String password = "Bench-" + HexFormat.of().formatHex(secret);
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(jvmArgs);
        command.addAll(List.of("-jar", jar.toAbsolutePath().toString(), "--opsbase.data-dir=" + dataDir.toAbsolutePath(),
                "--server.port=" + port));
        command.addAll(serverArgs);
        Path log = dataDir.resolve("server.log");
        var builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("OPSBASE_ADMIN_PASSWORD", password);
        Process process = builder.start();
        var server = new ServerUnderTest(URI.create("http://127.0.0.1:" + port), process, password, log);
        try {
            // Generous: on the shared two-core machine a start has taken three minutes.
            server.awaitReady(http, Duration.ofMinutes(8));
        } catch (RuntimeException | InterruptedException | IOException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private void awaitReady(HttpClient http, Duration limit) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the server exited with " + process.exitValue() + "; see " + log);
            }
            try {
                var r = http.send(HttpRequest.newBuilder(base.resolve("/actuator/health/readiness")).timeout(Duration.ofSeconds(5))
                        .build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the server was not ready within " + limit + "; see " + log);
    }

    public URI base() {
        return base;
    }

    /** The generated admin password of a child server. */
    public Optional<String> adminPassword() {
        return Optional.ofNullable(adminPassword);
    }

    /** CPU and memory of a child server; empty for an external one. */
    public Optional<ProcessStats> stats() {
        return process == null ? Optional.empty() : Optional.of(ProcessStats.of(process.pid()));
    }

    public Optional<Long> pid() {
        return process == null ? Optional.empty() : Optional.of(process.pid());
    }

    public Optional<Path> log() {
        return Optional.ofNullable(log);
    }

    /**
     * Runs a full garbage collection in the child ({@code jcmd PID GC.run}) so that the heap in use
     * afterwards is the live set rather than whatever garbage the collector had not yet needed to free.
     */
    public void collectGarbage() throws IOException, InterruptedException {
        if (process == null) {
            return;
        }
        Path jcmd = Path.of(ProcessHandle.current().info().command().orElse("java")).resolveSibling("jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "GC.run")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        p.waitFor(60, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
