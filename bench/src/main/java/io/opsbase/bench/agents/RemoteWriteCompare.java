package io.opsbase.bench.agents;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.xerial.snappy.Snappy;

/**
 * {@code remote-write-compare}: the same Prometheus remote-write 1.0 stream (snappy-compressed
 * protobuf, built once in memory before either receiver is measured) sent to Debian's
 * {@code prometheus} ({@code --web.enable-remote-write-receiver}, fresh storage directory, free
 * port) and to an Opsbase server started from its jar, one after the other, each by the same
 * number of concurrent senders. A series' samples always go through the same sender in time
 * order, as a Prometheus shard sends them. The first tenth of the rounds warms both up and is not
 * measured. Prints, for each receiver, the samples it acknowledged, wall time and its process CPU
 * time (utime + stime from {@code /proc}) over the measured part, and samples per CPU-second.
 * Opsbase needs a CI for the {@code ci} label: one simulated agent enrols and reports its
 * inventory first.
 */
public final class RemoteWriteCompare {

    private static final long STEP_MILLIS = 10_000;

    private RemoteWriteCompare() {
    }

    public static void main(String[] args) throws Exception {
        int series = Integer.parseInt(option(args, "--series", "10000"));
        int rounds = Integer.parseInt(option(args, "--rounds", "200"));
        int perRequest = Integer.parseInt(option(args, "--per-request", "2000"));
        int senders = Integer.parseInt(option(args, "--senders", "4"));
        Path jar = Path.of(option(args, "--server-jar", "server/target/opsbase-server.jar"));
        Path prometheusBinary = Path.of(option(args, "--prometheus", "/usr/bin/prometheus"));
        String heap = option(args, "--server-heap", "1g");
        // Rounds sent to both receivers before CPU is counted: a tenth by default. A JVM still compiling
        // its request path spends much of its CPU in the JIT compiler, which a longer warm-up leaves out.
        int warmup = Integer.parseInt(option(args, "--warmup-rounds", Integer.toString(Math.max(1, rounds / 10))));
        if (warmup < 1 || warmup >= rounds) {
            throw new IllegalArgumentException("--warmup-rounds must be at least 1 and below --rounds");
        }
        if (!Files.isExecutable(prometheusBinary)) {
            throw new IllegalStateException(prometheusBinary + " missing: apt-get update && apt-get install -y prometheus");
        }
        Path work = Files.createTempDirectory("opsbase-remote-write-");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(30)).build();
        System.out.printf("remote-write-compare: %d series × %d rounds (%d samples, %d per request, %d senders, the first %d rounds to warm up),"
                + " %d cores, load average %s%n",
                series, rounds, (long) series * rounds, perRequest, senders, warmup, Runtime.getRuntime().availableProcessors(),
                ProcessStats.loadAverage());
        try (ServerUnderTest opsbase = ServerUnderTest.start(jar, work.resolve("opsbase"), List.of("-Xmx" + heap), List.of(), http)) {
            AdminApi admin = AdminApi.login(http, opsbase.base(), "admin", opsbase.adminPassword().orElseThrow());
            long ci = oneCi(admin, http, opsbase.base());
            List<List<byte[]>> bySender = stream(series, rounds, perRequest, senders, ci);
            Process prometheus = startPrometheus(prometheusBinary, work.resolve("prometheus"), http);
            try {
                URI promWrite = URI.create("http://127.0.0.1:" + prometheusPort + "/api/v1/write");
                Result p = send("prometheus", http, promWrite, null, bySender, warmup, rounds, perRequest, prometheus.pid());
                System.out.println(p);
                URI opsWrite = opsbase.base().resolve("/api/v1/metrics/write");
                Result o = send("opsbase", http, opsWrite, admin.token(), bySender, warmup, rounds, perRequest,
                        opsbase.pid().orElseThrow());
                System.out.println(o);
                System.out.printf("opsbase / prometheus samples per CPU-second: %.2f (target ≥ 2); load average %s%n",
                        o.perCpuSecond() / p.perCpuSecond(), ProcessStats.loadAverage());
                System.out.println("prometheus: " + prometheusAppended(http) + " samples appended in its head (prometheus_tsdb_head_samples_appended_total)");
            } finally {
                prometheus.destroy();
                prometheus.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private static int prometheusPort;

    record Result(String name, long samples, double seconds, double cpuSeconds, long retries, long errors) {

        double perCpuSecond() {
            return samples / cpuSeconds;
        }

        @Override
        public String toString() {
            return "%s: %d samples acknowledged in %.1f s wall (%.0f samples/s), CPU %.2f s -> %.0f samples per CPU-second; %d retried (503/429), %d errors"
                    .formatted(name, samples, seconds, samples / seconds, cpuSeconds, perCpuSecond(), retries, errors);
        }
    }

    /** Enrols one simulated agent so there is a CI to name in the {@code ci} label. */
    private static long oneCi(AdminApi admin, HttpClient http, URI base) throws Exception {
        var agent = new SimulatedAgent(new SimulatedHost("rw", 0, 1), new AgentTransport(http, base), new LoadCounters());
        agent.enroll(admin.autoApprovingEnrollmentToken(1));
        if (!agent.report()) {
            throw new IllegalStateException("the simulated agent's inventory was not accepted");
        }
        return admin.ciOf(agent.agentId()).orElseThrow();
    }

    /**
     * The requests, per sender in sending order: round by round, each round's series cut into
     * slices of {@code perRequest}; slice j always goes to sender j mod senders.
     */
    static List<List<byte[]>> stream(int series, int rounds, int perRequest, int senders, long ci) throws IOException {
        List<List<byte[]>> bySender = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            bySender.add(new ArrayList<>());
        }
        long t0 = System.currentTimeMillis() - rounds * STEP_MILLIS;
        var random = new Random(7);
        int slices = (series + perRequest - 1) / perRequest;
        for (int r = 0; r < rounds; r++) {
            for (int j = 0; j < slices; j++) {
                var body = new ByteArrayOutputStream();
                for (int i = j * perRequest; i < Math.min(series, (j + 1) * perRequest); i++) {
                    var ts = new ByteArrayOutputStream();
                    label(ts, "__name__", "bench_rw_" + i / 100);
                    label(ts, "ci", Long.toString(ci));
                    label(ts, "instance", "sim-" + i % 100);
                    label(ts, "job", "bench");
                    var sample = new ByteArrayOutputStream();
                    sample.write(0x09);
                    long bits = Double.doubleToLongBits(Math.round(random.nextDouble() * 10_000) / 100.0);
                    for (int b = 0; b < 8; b++) {
                        sample.write((int) (bits >>> (8 * b)));
                    }
                    sample.write(0x10);
                    varint(sample, t0 + r * STEP_MILLIS);
                    field(ts, 0x12, sample.toByteArray());
                    field(body, 0x0A, ts.toByteArray());
                }
                bySender.get(j % senders).add(Snappy.compress(body.toByteArray()));
            }
        }
        return bySender;
    }

    private static void label(ByteArrayOutputStream ts, String name, String value) throws IOException {
        var l = new ByteArrayOutputStream();
        field(l, 0x0A, name.getBytes(StandardCharsets.UTF_8));
        field(l, 0x12, value.getBytes(StandardCharsets.UTF_8));
        field(ts, 0x0A, l.toByteArray());
    }

    private static void field(ByteArrayOutputStream out, int tag, byte[] bytes) throws IOException {
        out.write(tag);
        varint(out, bytes.length);
        out.write(bytes);
    }

    private static void varint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    private static Process startPrometheus(Path binary, Path dir, HttpClient http) throws Exception {
        Files.createDirectories(dir);
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, "global:\n  scrape_interval: 1m\nscrape_configs: []\n");
        try (var socket = new ServerSocket(0)) {
            prometheusPort = socket.getLocalPort();
        }
        Process p = new ProcessBuilder(binary.toString(), "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + prometheusPort, "--web.enable-remote-write-receiver")
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try {
                var r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + prometheusPort + "/-/ready")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return p;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        p.destroy();
        throw new IllegalStateException("prometheus was not ready within 60 s; see " + dir.resolve("prometheus.log"));
    }

    private static String prometheusAppended(HttpClient http) {
        try {
            var r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + prometheusPort + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            return Long.toString(Math.round(PrometheusText.sum(r.body(), "prometheus_tsdb_head_samples_appended_total", "")));
        } catch (IOException | InterruptedException e) {
            return "unknown (" + e + ")";
        }
    }

    /** Sends the warm-up rounds, then measures wall time and the receiver's CPU over the rest. */
    private static Result send(String name, HttpClient http, URI target, String bearer, List<List<byte[]>> bySender, int warmupRounds,
            int rounds, int perRequest, long pid) throws Exception {
        var retries = new AtomicLong();
        var errors = new AtomicLong();
        // Sender s has its own number of requests per round (slice j of a round goes to sender j mod senders),
        // so the warm-up ends after warmupRounds rounds of each sender's own requests.
        int[] warmupRequests = new int[bySender.size()];
        int[] all = new int[bySender.size()];
        for (int s = 0; s < bySender.size(); s++) {
            warmupRequests[s] = warmupRounds * (bySender.get(s).size() / rounds);
            all[s] = Integer.MAX_VALUE;
        }
        runSenders(http, target, bearer, bySender, new int[bySender.size()], warmupRequests, retries, errors);
        var before = ProcessStats.of(pid);
        long t0 = System.nanoTime();
        long samples = runSenders(http, target, bearer, bySender, warmupRequests, all, retries, errors);
        double seconds = (System.nanoTime() - t0) / 1e9;
        var after = ProcessStats.of(pid);
        return new Result(name, samples, seconds, after.cpuSeconds() - before.cpuSeconds(), retries.get(), errors.get());
    }

    /** Sends requests [from[s], to[s]) of each sender s's list, senders in parallel; returns the samples acknowledged. */
    private static long runSenders(HttpClient http, URI target, String bearer, List<List<byte[]>> bySender, int[] fromBySender,
            int[] toBySender, AtomicLong retries, AtomicLong errors) throws Exception {
        var acknowledged = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(bySender.size());
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int s = 0; s < bySender.size(); s++) {
                List<byte[]> requests = bySender.get(s);
                int from = fromBySender[s];
                int to = toBySender[s];
                done.add(pool.submit(() -> {
                    for (int i = from; i < Math.min(to, requests.size()); i++) {
                        byte[] body = requests.get(i);
                        for (int attempt = 0; ; attempt++) {
                            var b = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(120))
                                    .header("Content-Type", "application/x-protobuf").header("Content-Encoding", "snappy")
                                    .header("X-Prometheus-Remote-Write-Version", "0.1.0")
                                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
                            if (bearer != null) {
                                b.header("Authorization", "Bearer " + bearer);
                            }
                            var r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
                            if (r.statusCode() / 100 == 2) {
                                acknowledged.addAndGet(samplesIn(body));
                                break;
                            }
                            if ((r.statusCode() == 503 || r.statusCode() == 429) && attempt < 20) {
                                retries.incrementAndGet();
                                Thread.sleep(500);
                                continue;
                            }
                            errors.incrementAndGet();
                            System.err.println(target + " answered " + r.statusCode() + ": " + r.body());
                            break;
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        return acknowledged.get();
    }

    /** One sample per series in these requests: the number of top-level TimeSeries fields. */
    private static long samplesIn(byte[] snappy) throws IOException {
        byte[] raw = Snappy.uncompress(snappy);
        long n = 0;
        int pos = 0;
        while (pos < raw.length) {
            pos++; // tag 0x0A
            long len = 0;
            int shift = 0;
            int b;
            do {
                b = raw[pos++] & 0xFF;
                len |= (long) (b & 0x7F) << shift;
                shift += 7;
            } while ((b & 0x80) != 0);
            pos += (int) len;
            n++;
        }
        return n;
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
