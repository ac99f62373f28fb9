package io.opsbase.agent;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.opsbase.agent.state.AgentState;
import io.opsbase.protocol.Acknowledgement;
import io.opsbase.protocol.AgentEndpoints;
import io.opsbase.protocol.ConfigResponse;
import io.opsbase.protocol.EnrollRequest;
import io.opsbase.protocol.EnrollResponse;
import io.opsbase.protocol.InventoryResponse;
import io.opsbase.protocol.Problem;
import io.opsbase.protocol.ProtocolJson;
import io.opsbase.protocol.ProtocolVersion;
import io.opsbase.protocol.SignedTask;
import io.opsbase.protocol.Task;
import io.opsbase.protocol.TaskPollResponse;
import io.opsbase.protocol.signing.AgentCredential;
import io.opsbase.protocol.signing.Ed25519Keys;
import io.opsbase.protocol.signing.InMemoryNonceStore;
import io.opsbase.protocol.signing.SignatureVerifier;
import io.opsbase.protocol.signing.TaskSigner;
import io.opsbase.protocol.signing.VerificationResult;
import tools.jackson.databind.JsonNode;

/**
 * Test fixture: plays the server's side of the agent protocol on 127.0.0.1 with real signatures —
 * enrollment with a token, HMAC verification of every other call, Ed25519-signed tasks on the
 * long-poll, acknowledgements by idempotency key. Records what arrived. Not production code.
 */
public final class ProtocolTestServer implements AutoCloseable {

    public static final String TOKEN = "enroll-token-1";
    public static final ConfigResponse CONFIG = new ConfigResponse("\"config-1\"", java.time.Duration.ofHours(24), 30,
            Map.of("inventory.check", "PT15M"));

    /** One report as the server received it. */
    public record Report(String path, String idempotencyKey, JsonNode body) {
    }

    /** A task stays pending until its output arrives; a real server redelivers it the same way. */
    private static final class PendingTask {
        final SignedTask task;
        long handedOutNanos;

        PendingTask(SignedTask task) {
            this.task = task;
        }
    }

    private static final long REDELIVER_AFTER_NANOS = TimeUnit.SECONDS.toNanos(5);

    private HttpServer http;
    private final int port;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final KeyPair keys = Ed25519Keys.generate();
    private final TaskSigner taskSigner = new TaskSigner(keys.getPrivate());
    private final Map<String, byte[]> secrets = new ConcurrentHashMap<>();
    private final Set<String> revoked = ConcurrentHashMap.newKeySet();
    private final Set<String> seenKeys = ConcurrentHashMap.newKeySet();
    /** Tasks in the order queued, with when each was last handed out (0: never). Guarded by itself. */
    private final List<PendingTask> tasks = new java.util.ArrayList<>();
    private final List<Report> reports = new CopyOnWriteArrayList<>();
    private final List<String> polls = new CopyOnWriteArrayList<>();
    private final AtomicInteger duplicates = new AtomicInteger();
    private final AtomicInteger compressedRequests = new AtomicInteger();
    private final SignatureVerifier verifier;
    private final Clock clock;
    private volatile int forcedReportStatus;

    public ProtocolTestServer(Clock clock) throws IOException {
        this.clock = clock;
        this.verifier = new SignatureVerifier(id -> Optional.ofNullable(secrets.get(id))
                .map(secret -> new AgentCredential(secret, revoked.contains(id))),
                new InMemoryNonceStore(clock, SignatureVerifier.DEFAULT_WINDOW, 100_000), clock);
        http = listen(0);
        port = http.getAddress().getPort();
    }

    private HttpServer listen(int onPort) throws IOException {
        var server = HttpServer.create(new InetSocketAddress("127.0.0.1", onPort), 0);
        server.setExecutor(executor);
        server.createContext("/api/v1/agent/", this::handle);
        server.start();
        return server;
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** Stops listening, as a server outage; agents, reports and keys are kept. */
    public synchronized void stopListening() {
        http.stop(0);
    }

    /** Listens again on the same port, as a server back from an outage. */
    public synchronized void startListening() throws IOException {
        http = listen(port);
    }

    /** Registers an agent without the enrollment call, as if it had enrolled earlier. */
    public AgentState enrolledAgent() {
        var id = "agent-" + UUID.randomUUID();
        var secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        secrets.put(id, secret);
        return new AgentState(uri().toString(), id, Base64.getEncoder().encodeToString(secret), Ed25519Keys.encode(keys.getPublic()));
    }

    public void revoke(String agentId) {
        revoked.add(agentId);
    }

    /** Queues a task signed with this server's key, valid for five minutes. */
    public Task queueTask(String agentId, String type) {
        var task = new Task(UUID.randomUUID().toString(), agentId, type, Map.of(), clock.instant(), clock.instant().plusSeconds(300));
        queueSigned(taskSigner.sign(task));
        return task;
    }

    /** Queues a task exactly as given, e.g. with a forged signature. */
    public void queueSigned(SignedTask task) {
        synchronized (tasks) {
            tasks.add(new PendingTask(task));
            tasks.notifyAll();
        }
    }

    public TaskSigner taskSigner() {
        return taskSigner;
    }

    /** Answers every report with this status (0: normal operation), to play an outage or a refusal. */
    public void answerReportsWith(int status) {
        forcedReportStatus = status;
    }

    public List<Report> reports() {
        return List.copyOf(reports);
    }

    public List<Report> reports(String pathPrefix) {
        return reports.stream().filter(r -> r.path().startsWith(pathPrefix)).toList();
    }

    public List<String> polls() {
        return List.copyOf(polls);
    }

    public int duplicates() {
        return duplicates.get();
    }

    /** How many requests arrived with {@code Content-Encoding: gzip}. */
    public int compressedRequests() {
        return compressedRequests.get();
    }

    private static byte[] gunzip(byte[] body) throws IOException {
        try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(body))) {
            return in.readAllBytes();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            var body = exchange.getRequestBody().readAllBytes();
            var path = exchange.getRequestURI().getRawPath();
            var pathAndQuery = exchange.getRequestURI().getRawQuery() == null ? path : path + "?" + exchange.getRequestURI().getRawQuery();
            var gzipped = "gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"));
            if (gzipped) {
                compressedRequests.incrementAndGet();
            }
            if (path.equals(AgentEndpoints.ENROLL)) {
                enroll(exchange, gzipped ? gunzip(body) : body);
                return;
            }
            // The signature covers the bytes as sent, so it is checked before decompressing.
            var result = verifier.verify(exchange.getRequestMethod(), pathAndQuery, exchange.getRequestHeaders()::getFirst, body);
            if (result instanceof VerificationResult.Rejected rejected) {
                problem(exchange, 401, new Problem(Problem.SIGNATURE_TYPE, "Agent request refused", 401, rejected.detail(),
                        rejected.reason().name(), rejected.skewSeconds()));
                return;
            }
            if (gzipped) {
                body = gunzip(body);
            }
            if (path.equals(AgentEndpoints.TASKS)) {
                poll(exchange, pathAndQuery);
            } else if (path.equals(AgentEndpoints.CONFIG)) {
                config(exchange);
            } else if (exchange.getRequestMethod().equals("POST")) {
                report(exchange, path, body);
            } else {
                problem(exchange, 404, new Problem("/problems/not-found", "Not found", 404, path, null, null));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void enroll(HttpExchange exchange, byte[] body) throws IOException {
        var request = ProtocolJson.read(body, EnrollRequest.class);
        if (!TOKEN.equals(request.enrollToken())) {
            problem(exchange, 401, new Problem("/problems/enrollment-token", "Enrollment refused", 401,
                    "the enrollment token is unknown, used up or expired", null, null));
            return;
        }
        var state = enrolledAgent();
        json(exchange, 201, new EnrollResponse(state.agentId(), state.secret(), state.serverPublicKey(),
                EnrollResponse.Approval.PENDING, ProtocolVersion.CURRENT));
    }

    private void poll(HttpExchange exchange, String pathAndQuery) throws IOException, InterruptedException {
        polls.add(pathAndQuery);
        var query = exchange.getRequestURI().getQuery();
        var wait = 0;
        for (var part : query == null ? new String[0] : query.split("&")) {
            if (part.startsWith("wait=")) {
                wait = Integer.parseInt(part.substring(5));
            }
        }
        var deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(wait);
        var batch = new java.util.ArrayList<SignedTask>();
        synchronized (tasks) {
            while (true) {
                var now = System.nanoTime();
                for (var pending : tasks) {
                    var answered = !reports(AgentEndpoints.taskOutput(pending.task.task().taskId())).isEmpty();
                    if (!answered && (pending.handedOutNanos == 0 || now - pending.handedOutNanos > REDELIVER_AFTER_NANOS)) {
                        pending.handedOutNanos = now;
                        batch.add(pending.task);
                    }
                }
                var left = deadline - now;
                if (!batch.isEmpty() || left <= 0) {
                    break;
                }
                tasks.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 200)));
            }
        }
        json(exchange, 200, new TaskPollResponse(batch));
    }

    private static void config(HttpExchange exchange) throws IOException {
        if (CONFIG.etag().equals(exchange.getRequestHeaders().getFirst("If-None-Match"))) {
            exchange.sendResponseHeaders(304, -1);
            return;
        }
        exchange.getResponseHeaders().set("ETag", CONFIG.etag());
        json(exchange, 200, CONFIG);
    }

    private void report(HttpExchange exchange, String path, byte[] body) throws IOException {
        if (forcedReportStatus != 0) {
            problem(exchange, forcedReportStatus, new Problem("/problems/test", "Forced", forcedReportStatus, "forced by the test", null, null));
            return;
        }
        var tree = ProtocolJson.mapper().readTree(body);
        var key = tree.path("idempotencyKey").asString();
        var headerKey = exchange.getRequestHeaders().getFirst(AgentEndpoints.IDEMPOTENCY_KEY_HEADER);
        if (!key.equals(headerKey)) {
            problem(exchange, 422, new Problem("/problems/invalid-input", "Invalid", 422, "idempotency keys differ", null, null));
            return;
        }
        var status = Acknowledgement.Status.ACCEPTED;
        if (seenKeys.add(key)) {
            reports.add(new Report(path, key, tree));
        } else {
            duplicates.incrementAndGet();
            status = Acknowledgement.Status.DUPLICATE;
        }
        json(exchange, 200, new InventoryResponse(new Acknowledgement(key, status, clock.instant())));
    }

    private static void json(HttpExchange exchange, int status, Object body) throws IOException {
        var bytes = ProtocolJson.write(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static void problem(HttpExchange exchange, int status, Problem problem) throws IOException {
        var bytes = ProtocolJson.write(problem);
        exchange.getResponseHeaders().set("Content-Type", Problem.MEDIA_TYPE);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public synchronized void close() {
        http.stop(0);
        executor.shutdownNow();
    }

}
