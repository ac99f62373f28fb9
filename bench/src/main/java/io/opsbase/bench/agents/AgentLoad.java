package io.opsbase.bench.agents;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * {@code agent-load}: thousands of simulated agents against one server, each on its own virtual
 * thread, speaking the real signed protocol (see {@link SimulatedAgent}). Three phases, each
 * reported with latencies, the server's CPU (cores kept busy) and the machine's load average:
 *
 * <ol>
 * <li><b>Enrollment and first inventory</b> of every agent (auto-approved: each becomes a CI);
 * each agent then holds its long-poll for the rest of the run.</li>
 * <li><b>Held long-polls</b>: all polls open at once, checked on both sides (the server's
 * {@code opsbase_agents_open_polls} gauge and its registry), pings to sample agents answered
 * through those polls, and the server's heap (in use, and live after a full GC) and RSS.</li>
 * <li><b>Changed inventories</b> at full speed: every report carries a real change (a DIMM
 * swapped, a disk replaced, an OS point release, a new address) that the server reconciles into the
 * CMDB with history; the run checks the history of sample CIs afterwards.</li>
 * </ol>
 *
 * The load generator shares the machine with the server; its own CPU is printed too.
 */
public final class AgentLoad {

    private final AgentLoadOptions options;
    private final ServerUnderTest server;
    private final HttpClient http;
    private final LoadCounters counters = new LoadCounters();
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final String runId = HexFormat.of().formatHex(java.nio.ByteBuffer.allocate(2)
            .putShort((short) new java.util.Random().nextInt()).array());
    private volatile boolean polling = true;
    private PhaseClock clock;

    private AgentLoad(AgentLoadOptions options, ServerUnderTest server, HttpClient http) {
        this.options = options;
        this.server = server;
        this.http = http;
    }

    public static void main(String[] args) throws Exception {
        AgentLoadOptions options = AgentLoadOptions.parse(args);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(30)).executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        int code;
        try (ServerUnderTest server = options.server() != null ? ServerUnderTest.external(options.server())
                : ServerUnderTest.start(options.serverJar(), dataDir(options), jvmArgs(options),
                        options.serverArgs(), http)) {
            code = new AgentLoad(options, server, http).run();
        }
        System.exit(code);
    }

    private static List<String> jvmArgs(AgentLoadOptions options) {
        var args = new ArrayList<>(List.of("-Xmx" + options.serverHeap()));
        args.addAll(options.serverJvmArgs());
        return args;
    }

    private static Path dataDir(AgentLoadOptions options) {
        return options.dataDir() != null ? options.dataDir()
                : Path.of(System.getProperty("java.io.tmpdir"), "opsbase-agent-load-" + ProcessHandle.current().pid());
    }

    private int run() throws Exception {
        clock = new PhaseClock(server);
        System.out.printf("agent-load: %d agents, run %s, server %s%s, %d cores, load average %s%n", options.agents(), runId,
                server.base(), server.pid().map(p -> " (child pid " + p + ", -Xmx" + options.serverHeap() + ", log "
                        + server.log().orElseThrow() + ")").orElse(""), Runtime.getRuntime().availableProcessors(),
                ProcessStats.loadAverage());
        AdminApi admin = admin();
        String enrollToken = admin.autoApprovingEnrollmentToken(options.agents());
        var transport = new AgentTransport(http, server.base());
        List<SimulatedAgent> agents = new ArrayList<>();
        for (int i = 0; i < options.agents(); i++) {
            agents.add(new SimulatedAgent(new SimulatedHost(runId, i, options.seed()), transport, counters));
        }
        int enrolled = enrollAll(agents, enrollToken);
        holdPolls(admin, agents, enrolled);
        reportChanges(admin, agents);
        polling = false;
        String failures = counters.failures();
        if (!failures.isEmpty()) {
            System.out.print("failures:\n" + failures);
        }
        return enrolled == options.agents() && counters.failedReports() == 0 ? 0 : 1;
    }

    private AdminApi admin() throws Exception {
        Optional<String> password = server.adminPassword().or(() -> Optional.ofNullable(System.getenv("OPSBASE_ADMIN_PASSWORD")));
        if (server.pid().isEmpty() && options.adminToken() != null) {
            return AdminApi.withToken(http, server.base(), options.adminToken());
        }
        return AdminApi.login(http, server.base(), options.adminUser(), password.orElseThrow(() ->
                new IllegalArgumentException("give --admin-token or $OPSBASE_ADMIN_PASSWORD for --server")));
    }

    /** Phase 1; returns how many agents enrolled and had their first inventory accepted. */
    private int enrollAll(List<SimulatedAgent> agents, String enrollToken) throws InterruptedException {
        var enrollLatency = new Latencies("enroll");
        var firstReportLatency = new Latencies("first inventory");
        var done = new CountDownLatch(agents.size());
        var accepted = new AtomicInteger();
        var permits = new Semaphore(options.concurrency());
        clock.start();
        for (SimulatedAgent agent : agents) {
            threads.submit(() -> {
                boolean ok = false;
                try {
                    permits.acquire();
                    try {
                        long t0 = System.nanoTime();
                        retrying("enroll", () -> {
                            agent.enroll(enrollToken);
                            return true;
                        });
                        long t1 = System.nanoTime();
                        enrollLatency.record(t1 - t0);
                        ok = retrying("first inventory", agent::report);
                        firstReportLatency.record(System.nanoTime() - t1);
                    } finally {
                        permits.release();
                    }
                } catch (Exception e) {
                    counters.failedReport("enroll/first inventory: " + e);
                }
                if (ok) {
                    accepted.incrementAndGet();
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
        System.out.printf("%nphase 1 — enrollment and first inventory: %d of %d agents in %.1f s (%.0f agents/s; target: all 5,000 within 60 s)%n",
                accepted.get(), agents.size(), phase.seconds(), accepted.get() / phase.seconds());
        System.out.println("  " + enrollLatency.summary() + " (latencies include retries; " + counters.retries()
                + " calls retried after 5xx/429 or a transport error, as the agent does)");
        System.out.println("  " + firstReportLatency.summary());
        System.out.println("  " + phase);
        return accepted.get();
    }

    interface Call {
        boolean run() throws Exception;
    }

    /**
     * Like the real agent: a call the server could not serve now (5xx, 429, a transport error) is
     * retried with exponential back-off from 1 s, here up to 6 times; each retry is counted.
     */
    private boolean retrying(String what, Call call) throws Exception {
        for (int attempt = 0; ; attempt++) {
            try {
                return call.run();
            } catch (SimulatedAgent.RetryableException | java.io.IOException e) {
                if (attempt == 6) {
                    throw e;
                }
                counters.retried(what + ": " + e.getMessage());
                Thread.sleep(1000L << attempt);
            }
        }
    }

    /** Phase 2: every poll held at once, verified on the server, pings through the polls, heap. */
    private void holdPolls(AdminApi admin, List<SimulatedAgent> agents, int expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (counters.pollsInFlight() < expected && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        clock.start();
        Thread.sleep(TimeUnit.SECONDS.toMillis(options.holdSeconds()));
        var pings = new Latencies("ping round trip (admin POST ping → agent's pong stored)");
        int step = Math.max(1, agents.size() / Math.max(1, options.pings()));
        for (int i = 0; i < agents.size() && pings.count() < options.pings(); i += step) {
            String id = agents.get(i).agentId();
            if (id == null) {
                continue;
            }
            long t0 = System.nanoTime();
            long task = admin.ping(id);
            while (!admin.taskCompleted(id, task) && System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(30)) {
                Thread.sleep(10);
            }
            pings.record(System.nanoTime() - t0);
        }
        var phase = clock.stop();
        String metrics = admin.prometheus();
        double heapUsed = PrometheusText.sum(metrics, "jvm_memory_used_bytes", "area=\"heap\"");
        server.collectGarbage();
        double liveHeap = PrometheusText.sum(admin.prometheus(), "jvm_memory_used_bytes", "area=\"heap\"");
        System.out.printf("%nphase 2 — long-polls held (wait=%d s): %d in flight on the client, server open polls %s, registry %s%n",
                options.pollWait(), counters.pollsInFlight(), number(PrometheusText.sum(metrics, "opsbase_agents_open_polls", "")),
                admin.agentsByStatus());
        System.out.println("  " + pings.summary() + "; tasks answered " + counters.answeredTasks() + ", refused "
                + counters.refusedTasks());
        System.out.printf("  server heap: %.0f MiB in use, %.0f MiB live after a full GC; live threads %s; %s%n",
                heapUsed / (1 << 20), liveHeap / (1 << 20), number(PrometheusText.sum(metrics, "jvm_threads_live_threads", "")),
                server.stats().map(s -> "RSS " + s.rssBytes() / (1 << 20) + " MiB").orElse("RSS unknown (external server)"));
        System.out.println("  " + phase + "; polls answered so far " + counters.pollsCompleted() + ", failed "
                + counters.failedPolls());
    }

    /** Phase 3: changed inventories at full speed for --report-seconds. */
    private void reportChanges(AdminApi admin, List<SimulatedAgent> agents) throws Exception {
        var latency = new Latencies("changed inventory");
        var accepted = new AtomicInteger();
        var perAgent = new AtomicIntegerArray(agents.size());
        int workers = Math.min(options.reportConcurrency(), agents.size());
        Instant started = Instant.now();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(options.reportSeconds());
        var finished = new CountDownLatch(workers);
        clock.start();
        for (int w = 0; w < workers; w++) {
            int first = w;
            threads.submit(() -> {
                try {
                    for (int i = first; System.nanoTime() < end; i = i + workers < agents.size() ? i + workers : first) {
                        SimulatedAgent agent = agents.get(i);
                        if (agent.agentId() == null) {
                            continue;
                        }
                        agent.changeHost();
                        long t0 = System.nanoTime();
                        boolean ok;
                        try {
                            ok = agent.report();
                        } catch (SimulatedAgent.RetryableException e) {
                            counters.failedReport(e.getMessage()); // not retried here: the phase measures what gets through
                            ok = false;
                        }
                        latency.record(System.nanoTime() - t0);
                        if (ok) {
                            accepted.incrementAndGet();
                            perAgent.incrementAndGet(i);
                        }
                    }
                } catch (Exception e) {
                    counters.failedReport("changed inventory: " + e);
                } finally {
                    finished.countDown();
                }
                return null;
            });
        }
        finished.await();
        var phase = clock.stop();
        System.out.printf("%nphase 3 — changed inventories: %d accepted in %.1f s = %.0f reports/s (target ≥ 500/s), %d in flight%n",
                accepted.get(), phase.seconds(), accepted.get() / phase.seconds(), workers);
        System.out.println("  " + latency.summary());
        System.out.println("  " + phase);
        System.out.println("  long-polls after the phase: " + counters.pollsInFlight() + " in flight, server open polls "
                + number(PrometheusText.sum(admin.prometheus(), "opsbase_agents_open_polls", "")) + ", polls failed "
                + counters.failedPolls());
        verifyHistory(admin, agents, perAgent, started);
    }

    /** Each accepted change must be in its CI's history with source discovery. */
    private void verifyHistory(AdminApi admin, List<SimulatedAgent> agents, AtomicIntegerArray perAgent, Instant since)
            throws Exception {
        int step = Math.max(1, agents.size() / 5);
        for (int i = 0; i < agents.size(); i += step) {
            if (perAgent.get(i) == 0) {
                continue;
            }
            String id = agents.get(i).agentId();
            Optional<Long> ci = admin.ciOf(id);
            if (ci.isEmpty()) {
                System.out.println("  check: agent " + id + " has no CI");
                continue;
            }
            var rows = admin.discoveryHistory(ci.get()).stream()
                    .filter(h -> !Instant.parse(h.get("changedAt").asString()).isBefore(since)).toList();
            var fields = new java.util.TreeSet<String>();
            rows.forEach(h -> fields.add(h.get("field").asString().replaceAll("\\[.*", "[…]")));
            System.out.printf("  check: %s (agent %s, CI %d): %d changed reports accepted, %d discovery history rows since the phase began %s%n",
                    agents.get(i).hostname(), id, ci.get(), perAgent.get(i), rows.size(), fields);
        }
        System.out.println("  open discovery cases (conflicts or approvals waiting): " + admin.openDiscoveryCases());
    }

    private static String number(double v) {
        return Double.isNaN(v) ? "n/a" : Long.toString(Math.round(v));
    }
}
