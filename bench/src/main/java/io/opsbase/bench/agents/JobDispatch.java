package io.opsbase.bench.agents;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.opsbase.protocol.ProtocolJson;
import io.opsbase.protocol.Task;
import tools.jackson.databind.JsonNode;

/**
 * {@code job-dispatch}: one command to N simulated agents through {@code POST /api/v1/runs}, timed
 * from the API's accept (the 201) to each host's result stored, then the results page of that run.
 *
 * <p>The agents are {@link SimulatedAgent}s speaking the real signed protocol: each holds its
 * long-poll, verifies the Ed25519 signature of the task it is handed, and sends its output as the
 * real agent sends a short script's output (one last chunk, sequence 0, exit code, timings,
 * {@code outcome=exited}, the agent's idempotency key; again on 5xx/429/transport errors). By
 * default they answer at once with a one-line {@code uname}-like output (seven variants, so the
 * result groups mean something); with {@code --execute} each really runs the command with
 * {@code bash -c} through {@link ProcessBuilder} and sends what it printed.
 *
 * <p>Per-host latency is server-side truth: the host result's {@code finishedAt}, which the server
 * writes in the transaction that stores the result, minus the moment the 201 arrived here — the
 * same machine, the same system clock. The run is watched with {@code GET /api/v1/runs/{id}}
 * until it ends, then every host is read back page by page ({@code hostCursor}).
 *
 * <p>Enrolling thousands of agents is the slow part of a run (the first inventory is reconciled
 * into the CMDB), so their identities are saved in the data directory: a later run with the same
 * {@code --data-dir} restarts the server on the same database and takes the agents up again.
 */
public final class JobDispatch {

    private static final String STATE_FILE = "job-dispatch-agents.txt";
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

    private final Options options;
    private final ServerUnderTest server;
    private final HttpClient http;
    private final LoadCounters counters = new LoadCounters();
    private volatile boolean polling = true;
    private String token;

    private JobDispatch(Options options, ServerUnderTest server, HttpClient http) {
        this.options = options;
        this.server = server;
        this.http = http;
    }

    record Options(int agents, Path jar, Path dataDir, String heap, List<String> serverJvmArgs, List<String> serverArgs,
            String command, boolean execute, int rounds, int pageGets, boolean ansible, int ansibleForks, int concurrency,
            int pollWait, String profile, int warmup) {
    }

    static final String USAGE = """
            usage: job-dispatch [options]
              --agents N            simulated agents, each its own host (default 5000)
              --command CMD         the command run on every host (default 'uname -a')
              --execute             agents really run the command (bash -c) and send its output
              --rounds N            runs dispatched one after the other (default 1)
              --warmup N            untimed rounds before those, printed as "warm-up round" (default 0): a server
                                    that has run for a while has compiled its hot paths; a fresh one has not
              --page-gets N         timed GETs of the results API and of the run page (default 50)
              --ansible             also run the command on --agents hosts with Debian's ansible (connection local)
              --ansible-forks N     ansible's -f (default: --agents)
              --data-dir DIR        server data directory; agents enrolled there are reused (default: a new temp dir)
              --server-jar JAR      (default server/target/opsbase-server.jar)
              --server-heap SIZE    the server's -Xmx (default 1g; 20,000 held polls want about 4g)
              --server-jvm-arg ARG  one more JVM argument for the server (repeatable; e.g. an async-profiler -agentpath)
              --server-arg ARG      one more server argument (repeatable)
              --concurrency N       enrollments in flight (default 64)
              --poll-wait S         the agents' long-poll wait (default 30)
              --profile LIB,FILE    async-profiler (LIB: libasyncProfiler.so) loaded into the server with jcmd for each
                                    round, from the POST to the run's end; collapsed stacks to FILE-roundN""";

    static Options parse(String[] args) {
        if (Arrays.asList(args).contains("--help")) {
            System.out.println(USAGE);
            System.exit(0);
        }
        int agents = 5000;
        Path jar = Path.of("server/target/opsbase-server.jar");
        Path dataDir = null;
        String heap = "1g";
        List<String> jvm = new ArrayList<>();
        List<String> serverArgs = new ArrayList<>();
        String command = "uname -a";
        boolean execute = false;
        int rounds = 1;
        int pageGets = 50;
        boolean ansible = false;
        Integer forks = null;
        int concurrency = 64;
        int pollWait = 30;
        String profile = null;
        int warmup = 0;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--execute")) {
                execute = true;
                continue;
            }
            if (a.equals("--ansible")) {
                ansible = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(a + " needs a value\n" + USAGE);
            }
            String v = args[++i];
            switch (a) {
                case "--agents" -> agents = Integer.parseInt(v);
                case "--command" -> command = v;
                case "--rounds" -> rounds = Integer.parseInt(v);
                case "--page-gets" -> pageGets = Integer.parseInt(v);
                case "--ansible-forks" -> forks = Integer.parseInt(v);
                case "--data-dir" -> dataDir = Path.of(v);
                case "--server-jar" -> jar = Path.of(v);
                case "--server-heap" -> heap = v;
                case "--server-jvm-arg" -> jvm.add(v);
                case "--server-arg" -> serverArgs.add(v);
                case "--concurrency" -> concurrency = Integer.parseInt(v);
                case "--poll-wait" -> pollWait = Integer.parseInt(v);
                case "--profile" -> profile = v;
                case "--warmup" -> warmup = Integer.parseInt(v);
                default -> throw new IllegalArgumentException("unknown option " + a + "\n" + USAGE);
            }
        }
        return new Options(agents, jar, dataDir, heap, List.copyOf(jvm), List.copyOf(serverArgs), command, execute, rounds,
                pageGets, ansible, forks == null ? agents : forks, concurrency, pollWait, profile, warmup);
    }

    public static void main(String[] args) throws Exception {
        Options o = parse(args);
        Path dataDir = o.dataDir() != null ? o.dataDir()
                : Path.of(System.getProperty("java.io.tmpdir"), "opsbase-job-dispatch-" + ProcessHandle.current().pid());
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(30))
                .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        var jvm = new ArrayList<>(List.of("-Xmx" + o.heap()));
        jvm.addAll(o.serverJvmArgs());
        int code;
        try (var server = ServerUnderTest.start(o.jar(), dataDir, jvm, o.serverArgs(), http)) {
            code = new JobDispatch(o, server, http).run(dataDir);
        }
        System.exit(code);
    }

    private int run(Path dataDir) throws Exception {
        System.out.printf("job-dispatch: %d agents, command '%s'%s, server %s (pid %s, -Xmx%s, log %s), %d cores, load average %s%n",
                options.agents(), options.command(), options.execute() ? " executed by each agent (bash -c)" : " answered at once",
                server.base(), server.pid().orElse(-1L), options.heap(), server.log().orElseThrow(),
                Runtime.getRuntime().availableProcessors(), ProcessStats.loadAverage());
        Path state = dataDir.resolve(STATE_FILE);
        List<String> saved = Files.exists(state) ? Files.readAllLines(state) : List.of();
        String password = saved.isEmpty() ? server.adminPassword().orElseThrow() : saved.getFirst().substring("admin ".length());
        AdminApi admin = AdminApi.login(http, server.base(), "admin", password);
        token = admin.token();
        List<SimulatedAgent> agents = agents(admin, state, saved, password);
        Map<String, Long> ciByAgent = admin.ciByAgent();
        List<Long> ciIds = new ArrayList<>();
        for (SimulatedAgent a : agents) {
            Long ci = ciByAgent.get(a.agentId());
            if (ci == null) {
                System.out.println("agent " + a.agentId() + " has no CI; stopping");
                return 1;
            }
            ciIds.add(ci);
        }
        holdPolls(agents);
        int failures = 0;
        for (int round = 1; round <= options.warmup() + options.rounds(); round++) {
            failures += dispatch(agents, ciIds, round) ? 0 : 1;
        }
        if (options.ansible()) {
            Ansible.compare(options.agents(), options.command(), options.ansibleForks(), 3);
        }
        polling = false;
        // The next start truncates server.log: keep this run's.
        Path log = server.log().orElseThrow();
        Files.copy(log, log.resolveSibling("server-" + ProcessHandle.current().pid() + ".log"));
        String f = counters.failures();
        if (!f.isEmpty()) {
            System.out.print("agent-side failures and retries:\n" + f);
        }
        return failures == 0 ? 0 : 1;
    }

    /** The first N agents of the data directory, enrolling (and saving) the ones it does not hold yet. */
    private List<SimulatedAgent> agents(AdminApi admin, Path state, List<String> saved, String password) throws Exception {
        var transport = new AgentTransport(http, server.base());
        String runId = saved.size() > 1 ? saved.get(1).split(" ")[0] : Integer.toHexString(new java.util.Random().nextInt(0x10000));
        List<SimulatedAgent> agents = new ArrayList<>();
        List<SimulatedAgent> fresh = new ArrayList<>();
        for (int i = 0; i < options.agents(); i++) {
            var agent = new SimulatedAgent(new SimulatedHost(runId, i, 1).keepPackages(40), transport, counters);
            if (i + 1 < saved.size()) {
                String line = saved.get(i + 1);
                agent.restore(line.substring(line.indexOf(' ') + 1));
            } else {
                fresh.add(agent);
            }
            agents.add(agent);
        }
        if (fresh.isEmpty()) {
            System.out.printf("%d agents taken up from %s (enrolled by an earlier run)%n", agents.size(), state);
            return agents;
        }
        String enrollToken = admin.autoApprovingEnrollmentToken(fresh.size());
        var clock = new PhaseClock(server);
        clock.start();
        var done = new CountDownLatch(fresh.size());
        var failed = new AtomicInteger();
        var permits = new Semaphore(options.concurrency());
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (SimulatedAgent agent : fresh) {
                threads.submit(() -> {
                    try {
                        permits.acquire();
                        try {
                            retrying(() -> {
                                agent.enroll(enrollToken);
                                return true;
                            });
                            if (!retrying(agent::report)) {
                                failed.incrementAndGet();
                            }
                        } finally {
                            permits.release();
                        }
                    } catch (Exception e) {
                        failed.incrementAndGet();
                        counters.failedReport("enroll: " + e);
                    }
                    done.countDown();
                    return null;
                });
            }
            done.await();
        }
        System.out.printf("enrolled %d agents (first inventory with 40 packages each, auto-approved), %d failed; %s%n",
                fresh.size(), failed.get(), clock.stop());
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " enrollments failed:\n" + counters.failures());
        }
        var lines = new ArrayList<String>();
        lines.add("admin " + password);
        for (SimulatedAgent a : agents) {
            lines.add(runId + " " + a.identity());
        }
        Files.write(state, lines);
        return agents;
    }

    interface Call {
        boolean run() throws Exception;
    }

    private boolean retrying(Call call) throws Exception {
        for (int attempt = 0; ; attempt++) {
            try {
                return call.run();
            } catch (SimulatedAgent.RetryableException | IOException e) {
                if (attempt == 6) {
                    throw e;
                }
                counters.retried(e.getMessage());
                Thread.sleep(1000L << attempt);
            }
        }
    }

    private void holdPolls(List<SimulatedAgent> agents) throws Exception {
        var threads = Executors.newVirtualThreadPerTaskExecutor();
        for (SimulatedAgent a : agents) {
            threads.submit(() -> {
                a.holdPolls(options.pollWait(), () -> polling);
                return null;
            });
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        double open = 0;
        while (System.nanoTime() < deadline) {
            open = PrometheusText.sum(prometheus(), "opsbase_agents_open_polls", "");
            if (open >= agents.size()) {
                break;
            }
            Thread.sleep(500);
        }
        Thread.sleep(3000); // let the last polls' requests settle
        System.out.printf("long-polls held: %d on the client, %.0f open on the server; load average %s%n",
                counters.pollsInFlight(), open, ProcessStats.loadAverage());
    }

    /** Per-agent timings of one run, by agent-side task id (client clock, nanoTime). */
    private static final class Timings implements SimulatedAgent.ScriptTasks {
        final Map<String, Long> received = new ConcurrentHashMap<>();
        final Map<String, Long> reported = new ConcurrentHashMap<>();
        final boolean execute;

        Timings(boolean execute) {
            this.execute = execute;
        }

        @Override
        public SimulatedAgent.ScriptResult answer(Task task) throws InterruptedException {
            Instant start = Instant.now();
            if (!execute) {
                int variant = Math.floorMod(task.agentId().hashCode(), 7);
                return new SimulatedAgent.ScriptResult("Linux 6.1.0-" + (20 + variant) + "-amd64 #1 SMP x86_64 GNU/Linux\n", "", 0,
                        start, Instant.now());
            }
            try {
                Process p = new ProcessBuilder("bash", "-c", task.parameters().get("script"))
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
                String[] stderrText = {""};
                var err = Thread.startVirtualThread(() -> {
                    try {
                        stderrText[0] = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                    } catch (IOException e) {
                        stderrText[0] = "cannot read standard error: " + e + "\n";
                    }
                });
                String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                err.join();
                String stderr = stderrText[0];
                int exit = p.waitFor();
                return new SimulatedAgent.ScriptResult(stdout, stderr, exit, start, Instant.now());
            } catch (IOException e) {
                return new SimulatedAgent.ScriptResult("", "cannot start bash: " + e + "\n", 127, start, Instant.now());
            }
        }

        @Override
        public void received(Task task, long nanos) {
            received.put(task.taskId(), nanos);
        }

        @Override
        public void reported(Task task, long nanos) {
            reported.put(task.taskId(), nanos);
        }
    }

    private boolean dispatch(List<SimulatedAgent> agents, List<Long> ciIds, int round) throws Exception {
        var timings = new Timings(options.execute());
        agents.forEach(a -> a.answerScriptsWith(timings));
        var clock = new PhaseClock(server);
        String body = "{\"name\": \"job-dispatch round %d\", \"command\": %s, \"targets\": {\"ciIds\": %s}}".formatted(round,
                ProtocolJson.mapper().writeValueAsString(options.command()), ciIds);
        profiler("start,event=itimer,interval=1ms");
        clock.start();
        long sentNanos = System.nanoTime();
        Instant sent = Instant.now();
        var r = http.send(api("/api/v1/runs").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        long acceptedNanos = System.nanoTime();
        Instant accepted = Instant.now();
        if (r.statusCode() != 201) {
            System.out.println("POST /api/v1/runs answered " + r.statusCode() + ": " + r.body());
            return false;
        }
        long runId = json(r.body()).get("id").asLong();
        JsonNode run;
        long deadline = acceptedNanos + TimeUnit.MINUTES.toNanos(10);
        int watchErrors = 0;
        while (true) {
            var watch = http.send(api("/api/v1/runs/" + runId + "?hostLimit=1").GET().build(), HttpResponse.BodyHandlers.ofString());
            if (watch.statusCode() != 200) {
                // Counted and printed, not fatal: the run goes on; its server log keeps the request id.
                if (watchErrors++ < 3) {
                    System.out.println("  watching the run: GET answered " + watch.statusCode() + ": " + watch.body());
                }
                Thread.sleep(100);
                continue;
            }
            run = json(watch.body()).get("run");
            String s = run.get("state").asString();
            if (s.equals("succeeded") || s.equals("failed") || s.equals("cancelled") || System.nanoTime() > deadline) {
                break;
            }
            Thread.sleep(100);
        }
        long endedSeenNanos = System.nanoTime();
        var phase = clock.stop();
        if (options.profile() != null) {
            profiler("stop,file=" + options.profile().split(",")[1] + "-round" + round + ",collapsed");
        }
        // Every host's result, page by page.
        var fromAccept = new Latencies("accept (201) → host result stored");
        var fromPost = new Latencies("POST sent → host result stored");
        Instant last = null;
        int hosts = 0;
        int succeeded = 0;
        String cursor = null;
        do {
            JsonNode page = json(get("/api/v1/runs/" + runId + "?hostLimit=5000" + (cursor == null ? "" : "&hostCursor=" + cursor)));
            for (JsonNode h : page.get("hosts")) {
                hosts++;
                if (h.get("finishedAt").isNull()) {
                    continue;
                }
                if ("succeeded".equals(h.get("state").asString())) {
                    succeeded++;
                }
                Instant finished = Instant.parse(h.get("finishedAt").asString());
                fromAccept.record(Duration.between(accepted, finished).toNanos());
                fromPost.record(Duration.between(sent, finished).toNanos());
                last = last == null || finished.isAfter(last) ? finished : last;
            }
            JsonNode next = page.get("hostsNext");
            cursor = next == null || next.isNull() ? null : next.asString();
        } while (cursor != null);
        var delivered = new Latencies("agent side: 201 → task in the agent's hands (signature verified next)");
        var acked = new Latencies("agent side: 201 → output acknowledged");
        timings.received.values().forEach(n -> delivered.record(n - acceptedNanos));
        timings.reported.values().forEach(n -> acked.record(n - acceptedNanos));
        System.out.printf("%n%sround %d: run %d %s, %d hosts, %d succeeded; POST /api/v1/runs took %.0f ms (201); run seen ended %.2f s after the 201%n",
                round <= options.warmup() ? "warm-up " : "", round, runId, run.get("state").asString(), hosts, succeeded, (acceptedNanos - sentNanos) / 1e6,
                (endedSeenNanos - acceptedNanos) / 1e9);
        System.out.println("  " + fromAccept.summary());
        System.out.printf("  time to the last host's result: %.0f ms after the 201 (%.0f ms after the POST was sent)%n",
                last == null ? Double.NaN : Duration.between(accepted, last).toNanos() / 1e6,
                last == null ? Double.NaN : Duration.between(sent, last).toNanos() / 1e6);
        System.out.println("  " + fromPost.summary());
        System.out.println("  " + delivered.summary());
        System.out.println("  " + acked.summary());
        System.out.println("  POST to run ended: " + phase + "; GETs of the run that failed while watching: " + watchErrors);
        var counts = run.get("counts");
        System.out.println("  counts " + counts + ", outcome " + run.get("outcome"));
        profiler("start,event=itimer,interval=1ms");
        timePages(runId, hosts);
        if (options.profile() != null) {
            profiler("stop,file=" + options.profile().split(",")[1] + "-pages" + round + ",collapsed");
        }
        return hosts == agents.size() && succeeded == hosts;
    }

    /** Loads async-profiler into the server with {@code jcmd PID JVMTI.agent_load LIB ARGS} (start, then stop). */
    private void profiler(String arguments) throws IOException, InterruptedException {
        if (options.profile() == null || server.pid().isEmpty()) {
            return;
        }
        Path jcmd = Path.of(ProcessHandle.current().info().command().orElse("java")).resolveSibling("jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), server.pid().get().toString(), "JVMTI.agent_load",
                // Quoted, or jcmd's parser cuts the options at the first comma.
                options.profile().split(",")[0], "\"" + arguments + "\"").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            System.out.println("profiler " + arguments + ": " + out);
        }
    }

    /**
     * Repeated GETs of the results API and the run page of a finished run, one at a time: p50/p99
     * as this client saw them (over a client of their own, not the agents' busy one), and the
     * server's own mean and max time per request from its {@code http_server_requests_seconds}
     * metrics (the difference over the timed GETs).
     */
    private void timePages(long runId, int hosts) throws Exception {
        if (options.pageGets() <= 0) {
            return;
        }
        HttpClient browser = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        login(browser);
        var apiTimes = new Latencies("GET /api/v1/runs/" + runId + " (" + hosts + " hosts)");
        var pageTimes = new Latencies("GET /jobs/runs/" + runId + " (web page)");
        long apiBytes = 0;
        long pageBytes = 0;
        String before = null;
        for (int i = 0; i < options.pageGets() + 5; i++) {
            if (i == 5) {
                before = prometheus();
            }
            long t0 = System.nanoTime();
            var a = browser.send(api("/api/v1/runs/" + runId).GET().build(), HttpResponse.BodyHandlers.ofString());
            long t1 = System.nanoTime();
            var p = browser.send(HttpRequest.newBuilder(server.base().resolve("/jobs/runs/" + runId)).build(),
                    HttpResponse.BodyHandlers.ofString());
            long t2 = System.nanoTime();
            if (a.statusCode() != 200 || p.statusCode() != 200) {
                throw new IllegalStateException("results API answered " + a.statusCode() + ", run page " + p.statusCode());
            }
            if (i >= 5) {
                apiTimes.record(t1 - t0);
                pageTimes.record(t2 - t1);
            }
            apiBytes = a.body().length();
            pageBytes = p.body().length();
        }
        String after = prometheus();
        JsonNode detail = json(get("/api/v1/runs/" + runId));
        System.out.printf("  results page, %d timed GETs of each after 5 warm-up, one at a time (load average %s):%n",
                options.pageGets(), ProcessStats.loadAverage());
        System.out.printf("    %s; %d bytes, %d hosts inline, %d groups; %s%n", apiTimes.summary(), apiBytes,
                detail.get("hosts").size(), detail.get("groups").size(), serverSide(before, after, "/api/v1/runs/{id}"));
        System.out.printf("    %s; %d bytes; %s%n", pageTimes.summary(), pageBytes, serverSide(before, after, "/jobs/runs/{id}"));
    }

    /** The server's mean time per request of {@code uri} between two scrapes, and its recent max. */
    private static String serverSide(String before, String after, String uri) {
        String label = "uri=\"" + uri + "\"";
        double count = PrometheusText.sum(after, "http_server_requests_seconds_count", label)
                - PrometheusText.sum(before, "http_server_requests_seconds_count", label);
        double sum = PrometheusText.sum(after, "http_server_requests_seconds_sum", label)
                - PrometheusText.sum(before, "http_server_requests_seconds_sum", label);
        double max = PrometheusText.sum(after, "http_server_requests_seconds_max", label);
        if (Double.isNaN(count)) {
            return "server side: not known (the server exports no http_server_requests_seconds timer)";
        }
        return "server side: mean %.1f ms over %.0f requests, max %.1f ms".formatted(1000 * sum / count, count, 1000 * max);
    }

    private void login(HttpClient browser) throws Exception {
        var form = browser.send(HttpRequest.newBuilder(server.base().resolve("/login")).build(), HttpResponse.BodyHandlers.ofString());
        Matcher m = CSRF.matcher(form.body());
        if (!m.find()) {
            throw new IllegalStateException("no CSRF token on /login");
        }
        Path state = server.log().orElseThrow().resolveSibling(STATE_FILE);
        String password = Files.readAllLines(state).getFirst().substring("admin ".length());
        String body = "username=admin&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8) + "&_csrf="
                + URLEncoder.encode(m.group(1), StandardCharsets.UTF_8);
        var r = browser.send(HttpRequest.newBuilder(server.base().resolve("/login"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200 || r.uri().toString().contains("error")) {
            throw new IllegalStateException("web login failed: " + r.statusCode() + " " + r.uri());
        }
    }

    private HttpRequest.Builder api(String path) {
        return HttpRequest.newBuilder(server.base().resolve(path)).timeout(Duration.ofMinutes(5))
                .header("Authorization", "Bearer " + token).header("Accept", "application/json");
    }

    private String get(String path) throws IOException, InterruptedException {
        var r = http.send(api(path).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    private String prometheus() throws IOException, InterruptedException {
        var r = http.send(HttpRequest.newBuilder(server.base().resolve("/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 ? r.body() : "";
    }

    private static JsonNode json(String text) {
        return ProtocolJson.mapper().readTree(text);
    }
}
