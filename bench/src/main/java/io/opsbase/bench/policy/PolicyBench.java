package io.opsbase.bench.policy;

import io.opsbase.bench.agents.ProcessStats;
import io.opsbase.bench.agents.ServerUnderTest;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.StringJoiner;

/**
 * {@code policy}: the dangerous-command policy through the public API. Starts the server jar with a
 * fresh data directory (its seeded rules), then for a one-line command, a 200-line deployment
 * script, a 5,000-line script and a hostile 64 KiB line calls {@code POST /api/v1/job-policy/check}
 * (the same {@code CommandPolicy.evaluate} a run goes through, rules read from the database on
 * every call): 200 warm-up calls, then as many as fit in {@code --seconds} (at least 20), one at a
 * time. Prints the verdict, calls per second, p50/p99 round trip and the server's CPU per call.
 *
 * <pre>
 * java -jar bench/target/opsbase-bench.jar policy [--server-jar server/target/opsbase-server.jar] [--seconds 10]
 * </pre>
 */
public final class PolicyBench {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private ServerUnderTest server;
    private String token;

    private PolicyBench() {
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(option(args, "--server-jar", "server/target/opsbase-server.jar"));
        int seconds = Integer.parseInt(option(args, "--seconds", "10"));
        Path dataDir = Files.createTempDirectory("opsbase-policy-bench");
        PolicyBench bench = new PolicyBench();
        bench.server = ServerUnderTest.start(jar, dataDir, List.of("-Xmx1g"), List.of(), bench.http);
        try {
            bench.token = bench.login(bench.server.adminPassword().orElseThrow());
            System.out.printf("policy: server %s, cores=%d, java=%s, load %s%n", jar, Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.version"), ProcessStats.loadAverage());
            bench.run("one line", "sudo systemctl restart nginx && rm -rf /tmp/build", seconds);
            bench.run("200 lines", script(200), seconds);
            bench.run("5000 lines", script(5000), seconds);
            bench.run("64 KiB line", "echo " + "a".repeat(65_536), seconds);
        } finally {
            bench.server.close();
        }
    }

    static String script(int lines) {
        String[] shapes = {
            "cd /opt/app/releases/$VERSION && tar xzf /tmp/app-$VERSION.tar.gz",
            "sudo -u app env RAILS_ENV=production ./bin/migrate --verbose 2>&1 | tee -a /var/log/deploy.log",
            "if [ -f /etc/app/config.yml ]; then cp /etc/app/config.yml \"$DEST/config.yml\"; fi",
            "rm -rf /opt/app/releases/old-$(date +%s) # clean up",
            "systemctl reload nginx || echo \"reload failed: $?\" >&2",
        };
        StringJoiner out = new StringJoiner("\n");
        for (int i = 0; i < lines; i++) {
            out.add(shapes[i % shapes.length]);
        }
        return out.toString();
    }

    private void run(String name, String script, int seconds) throws IOException, InterruptedException {
        String body = "{\"language\": \"bash\", \"script\": " + jsonString(script) + ", \"targetCiIds\": []}";
        String verdict = check(body);
        for (int i = 0; i < 200; i++) {
            check(body);
        }
        List<Long> samples = new ArrayList<>();
        double cpuBefore = server.stats().map(ProcessStats::cpuSeconds).orElse(Double.NaN);
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long started = System.nanoTime();
        while (System.nanoTime() < end || samples.size() < 20) {
            long t = System.nanoTime();
            check(body);
            samples.add(System.nanoTime() - t);
        }
        double wall = (System.nanoTime() - started) / 1e9;
        double cpu = server.stats().map(ProcessStats::cpuSeconds).orElse(Double.NaN) - cpuBefore;
        long[] sorted = samples.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        int n = sorted.length;
        System.out.printf("%-12s %7d chars  verdict %-8s %7.0f calls/s  p50 %8.3f ms  p99 %8.3f ms  server CPU %.3f ms/call"
                        + "  (%d calls, load %s)%n", name, script.length(), verdict, n / wall, sorted[n / 2] / 1e6,
                sorted[Math.min(n - 1, (int) (n * 0.99))] / 1e6, cpu * 1000 / n, n, ProcessStats.loadAverage());
    }

    /** One dry run; returns the verdict. */
    private String check(String body) throws IOException, InterruptedException {
        var r = http.send(HttpRequest.newBuilder(server.base().resolve("/api/v1/job-policy/check"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("policy check answered " + r.statusCode() + ": " + r.body());
        }
        int at = r.body().indexOf("\"verdict\"");
        int open = r.body().indexOf('"', r.body().indexOf(':', at) + 1);
        return r.body().substring(open + 1, r.body().indexOf('"', open + 1));
    }

    /** Trades the generated admin password for a personal access token. */
    private String login(String password) throws IOException, InterruptedException {
        String basic = Base64.getEncoder().encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8));
        var r = http.send(HttpRequest.newBuilder(server.base().resolve("/api/v1/tokens")).header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"policy-bench\", \"expiresIn\": \"P1D\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("login failed: " + r.statusCode() + " " + r.body());
        }
        int at = r.body().indexOf("\"token\"");
        int open = r.body().indexOf('"', r.body().indexOf(':', at) + 1);
        return r.body().substring(open + 1, r.body().indexOf('"', open + 1));
    }

    private static String jsonString(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    private static String option(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
