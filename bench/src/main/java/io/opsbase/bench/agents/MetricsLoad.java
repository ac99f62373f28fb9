package io.opsbase.bench.agents;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.opsbase.metrics.DiskMetricStore;
import io.opsbase.metrics.MetricStore;
import io.opsbase.metrics.SeriesKey;
import io.opsbase.metrics.StoreConfig;

/**
 * {@code metrics-load}: simulated agents reporting metrics as real agents do (see
 * {@link MetricsReporter}) against a child server. Setup: every agent enrols, reports its
 * inventory (auto-approved, so it gets a CI), fetches its configuration twice (200 with an ETag,
 * then 304) and holds its long-poll for the rest of the run. Then either one measured run at the
 * given rate, or (--ceiling) steps of rising rate until the delivery p99 passes 1 s. Each step
 * prints the acknowledged rate, both latencies, 429s, the server's CPU and RSS and the load
 * average. At the end the server is stopped (it drains its queue and closes the store), and this
 * process opens its metrics-store and counts every series' samples: stored must equal acknowledged.
 */
public final class MetricsLoad {

    private final MetricsLoadOptions options;
    private final ServerUnderTest server;
    private final HttpClient http;
    private final LoadCounters counters = new LoadCounters();
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final String runId = HexFormat.of().formatHex(java.nio.ByteBuffer.allocate(2)
            .putShort((short) new java.util.Random().nextInt()).array());
    private volatile boolean polling = true;

    private MetricsLoad(MetricsLoadOptions options, ServerUnderTest server, HttpClient http) {
        this.options = options;
        this.server = server;
        this.http = http;
    }

    public static void main(String[] args) throws Exception {
        MetricsLoadOptions options = MetricsLoadOptions.parse(args);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(30)).executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        Path dataDir = options.dataDir() != null ? options.dataDir()
                : Path.of(System.getProperty("java.io.tmpdir"), "opsbase-metrics-load-" + ProcessHandle.current().pid());
        var jvmArgs = new ArrayList<>(List.of("-Xmx" + options.serverHeap()));
        jvmArgs.addAll(options.serverJvmArgs());
        ServerUnderTest server = ServerUnderTest.start(options.serverJar(), dataDir, jvmArgs, options.serverArgs(), http);
        int code;
        try {
            code = new MetricsLoad(options, server, http).run(dataDir);
        } finally {
            server.close();
        }
        System.exit(code);
    }

    private int run(Path dataDir) throws Exception {
        System.out.printf("metrics-load: %d agents × %d series every %s s = %.0f samples/s, run %s, server pid %d (-Xmx%s, log %s), "
                + "%d cores, load average %s%n", options.agents(), options.series(), options.intervalSeconds(),
                options.agents() * options.series() / options.intervalSeconds(), runId, server.pid().orElseThrow(),
                options.serverHeap(), server.log().orElseThrow(), Runtime.getRuntime().availableProcessors(), ProcessStats.loadAverage());
        AdminApi admin = AdminApi.login(http, server.base(), "admin", server.adminPassword().orElseThrow());
        var transport = new AgentTransport(http, server.base());
        List<MetricsReporter> reporters = setUp(admin, transport);
        if (reporters.isEmpty()) {
            return 1;
        }
        long acknowledged = options.ceiling() ? ceiling(reporters) : steady(reporters);
        Map<String, Long> cis = admin.ciByAgent();
        polling = false;
        System.out.println("\nstopping the server (it drains its ingest queue and closes the store), then counting back …");
        server.close();
        return countBack(dataDir, reporters, cis, acknowledged) ? 0 : 1;
    }

    /** Enrolment, first inventory, configuration (200 then 304), long-polls; returns the agents that made it. */
    private List<MetricsReporter> setUp(AdminApi admin, AgentTransport transport) throws Exception {
        String token = admin.autoApprovingEnrollmentToken(options.agents());
        var setupStats = new MetricsLoadStats();
        List<MetricsReporter> ready = java.util.Collections.synchronizedList(new ArrayList<>());
        var done = new CountDownLatch(options.agents());
        var permits = new Semaphore(options.concurrency());
        var clock = new PhaseClock(server);
        clock.start();
        for (int i = 0; i < options.agents(); i++) {
            var agent = new SimulatedAgent(new SimulatedHost(runId, i, options.seed()), transport, counters);
            threads.submit(() -> {
                boolean ok = false;
                try {
                    permits.acquire();
                    try {
                        retrying(() -> {
                            agent.enroll(token);
                            return true;
                        });
                        ok = retrying(agent::report);
                        if (ok) {
                            var reporter = new MetricsReporter(agent, transport, setupStats, options.series());
                            reporter.fetchConfig();
                            reporter.fetchConfig();
                            ready.add(reporter);
                        }
                    } finally {
                        permits.release();
                    }
                } catch (Exception e) {
                    counters.failedReport("setup: " + e);
                }
                done.countDown();
                if (ok) {
                    agent.holdPolls(options.pollWait(), () -> polling);
                }
                return null;
            });
        }
        done.await();
        var phase = clock.stop();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (counters.pollsInFlight() < ready.size() && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        System.out.printf("setup: %d of %d agents enrolled with a CI in %.1f s; configuration %s; %d long-polls held; %s%n",
                ready.size(), options.agents(), phase.seconds(), setupStats.configs(), counters.pollsInFlight(), phase);
        String failures = counters.failures() + setupStats.failures();
        if (!failures.isBlank()) {
            System.out.print("setup failures and retries:\n" + failures);
        }
        return List.copyOf(ready);
    }

    interface Call {
        boolean run() throws Exception;
    }

    private boolean retrying(Call call) throws Exception {
        for (int attempt = 0; ; attempt++) {
            try {
                return call.run();
            } catch (SimulatedAgent.RetryableException | java.io.IOException e) {
                if (attempt == 6) {
                    throw e;
                }
                counters.retried(e.getMessage());
                Thread.sleep(1000L << attempt);
            }
        }
    }

    /** One measured run at the configured rate; returns the samples acknowledged. */
    private long steady(List<MetricsReporter> reporters) throws Exception {
        long interval = (long) (options.intervalSeconds() * 1e9);
        var stats = new MetricsLoadStats();
        Step step = runStep(reporters, interval, options.durationSeconds(), stats, true);
        System.out.printf("%nsteady: %s%n", step);
        return stats.acknowledged();
    }

    /**
     * Rising steps: each runs --step-seconds at interval ÷ factor^k; reporters keep their outboxes
     * across steps (the backlog of an overloaded step is delivered in the next one). Stops after the
     * first step whose delivery p99 is over 1 s or whose acknowledged rate fell below 90 % of the
     * offered one; the ceiling is the last step that passed.
     */
    private long ceiling(List<MetricsReporter> reporters) throws Exception {
        long total = 0;
        double passed = 0;
        double interval = options.intervalSeconds() * 1e9;
        for (int k = 0; ; k++) {
            var stats = new MetricsLoadStats();
            Step step = runStep(reporters, (long) interval, options.stepSeconds(), stats, false);
            total += stats.acknowledged();
            System.out.printf("%nstep %d: %s%n", k, step);
            if (step.deliveryP99Millis() > 1000 || step.acknowledgedRate() < 0.9 * step.offeredRate()) {
                System.out.printf("%nceiling: %.0f samples/s (the last step with delivery p99 ≤ 1 s and ≥ 90 %% of the offered rate acknowledged)%n",
                        passed);
                break;
            }
            passed = step.acknowledgedRate();
            interval /= options.stepFactor();
        }
        // Deliver what is left so the count-back compares everything sent.
        var drain = new MetricsLoadStats();
        runStep(reporters, Long.MAX_VALUE / 4, 0, drain, true);
        return total + drain.acknowledged();
    }

    record Step(double seconds, double offeredRate, double acknowledgedRate, long acknowledged, long collected,
            double deliveryP99Millis, String text) {

        @Override
        public String toString() {
            return text;
        }
    }

    /**
     * Runs every reporter for {@code seconds} at {@code intervalNanos}; with {@code drain} also waits
     * (up to 120 s) until every outbox is empty.
     */
    private Step runStep(List<MetricsReporter> reporters, long intervalNanos, int seconds, MetricsLoadStats stats, boolean drain)
            throws Exception {
        var clock = new PhaseClock(server);
        long start = System.nanoTime();
        long collectUntil = start + TimeUnit.SECONDS.toNanos(seconds);
        long drainUntil = drain ? collectUntil + TimeUnit.SECONDS.toNanos(120) : collectUntil;
        var finished = new CountDownLatch(reporters.size());
        clock.start();
        for (MetricsReporter r : reporters) {
            threads.submit(() -> {
                try {
                    r.rebind(stats);
                    r.run(() -> intervalNanos, () -> collectUntil, drainUntil, TimeUnit.SECONDS.toNanos(60));
                } catch (Exception e) {
                    stats.failure("reporter: " + e);
                } finally {
                    finished.countDown();
                }
                return null;
            });
        }
        finished.await();
        var phase = clock.stop();
        double offered = reporters.size() * (double) options.series() / (intervalNanos / 1e9);
        double rate = stats.acknowledged() / phase.seconds();
        String text = ("offered %.0f samples/s (interval %.3f s), acknowledged %d samples in %d batches = %.0f samples/s; "
                + "collected %d; 429/5xx answers %s; config %s%n  %s%n  %s%n  %s; long-polls held %d, polls failed %d%s")
                .formatted(offered, intervalNanos / 1e9, stats.acknowledged(), stats.batches(), rate, stats.collected(),
                        stats.refusals(), stats.configs(), stats.ack.summary(), stats.delivery.summary(), phase,
                        counters.pollsInFlight(), counters.failedPolls(),
                        stats.failureCount() == 0 ? "" : "\n  failures:\n" + stats.failures());
        return new Step(phase.seconds(), offered, rate, stats.acknowledged(), stats.collected(),
                stats.delivery.p99Millis(), text);
    }

    /** Opens the stopped server's store and counts every reporter's samples back. */
    private boolean countBack(Path dataDir, List<MetricsReporter> reporters, Map<String, Long> cis, long acknowledged)
            throws Exception {
        long stored = 0;
        long expected = 0;
        int agentsShort = 0;
        int missingCi = 0;
        try (MetricStore store = DiskMetricStore.open(StoreConfig.defaults(dataDir.resolve("metrics")))) {
            for (MetricsReporter r : reporters) {
                Long ci = cis.get(r.agent().agentId());
                if (ci == null) {
                    missingCi++;
                    continue;
                }
                long mine = 0;
                for (int i = 0; i < options.series(); i++) {
                    var labels = new TreeMap<>(MetricsReporter.labels(i));
                    labels.put("ci", Long.toString(ci));
                    var id = store.find(SeriesKey.of(MetricsReporter.name(i), labels));
                    if (id.isPresent()) {
                        mine += store.raw(id.get(), Long.MIN_VALUE, Long.MAX_VALUE).size();
                    }
                }
                stored += mine;
                expected += r.acknowledgedSamples();
                if (mine < r.acknowledgedSamples()) {
                    agentsShort++;
                }
            }
        }
        long unsent = reporters.stream().mapToLong(MetricsReporter::outboxSize).sum();
        boolean ok = stored >= expected && agentsShort == 0 && missingCi == 0;
        System.out.printf("count-back: acknowledged %d samples (%d counted per step), stored %d; agents with fewer stored than "
                + "acknowledged: %d; agents without a CI: %d; batches still in outboxes: %d -> %s%n", expected, acknowledged, stored,
                agentsShort, missingCi, unsent, ok ? "ZERO LOST" : "SAMPLES LOST");
        return ok;
    }
}
