package io.opsbase.bench.agents;

import java.io.IOException;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

import io.opsbase.protocol.Acknowledgement;
import io.opsbase.protocol.AgentEndpoints;
import io.opsbase.protocol.EnrollRequest;
import io.opsbase.protocol.EnrollResponse;
import io.opsbase.protocol.InventoryRequest;
import io.opsbase.protocol.InventoryResponse;
import io.opsbase.protocol.ProtocolJson;
import io.opsbase.protocol.ProtocolVersion;
import io.opsbase.protocol.SignedTask;
import io.opsbase.protocol.Task;
import io.opsbase.protocol.TaskOutputRequest;
import io.opsbase.protocol.TaskPollResponse;
import io.opsbase.protocol.inventory.Inventory;
import io.opsbase.protocol.inventory.InventoryHash;
import io.opsbase.protocol.signing.Ed25519Keys;
import io.opsbase.protocol.signing.RequestSigner;
import io.opsbase.protocol.signing.TaskSignatureCheck;
import io.opsbase.protocol.signing.TaskSigner;
import io.opsbase.protocol.signing.TaskTree;
import io.opsbase.protocol.signing.TaskVerifier;

/**
 * One simulated agent speaking the real protocol: it enrolls with its own host fingerprint, keeps
 * the identity it is given (id, HMAC secret, pinned server key), signs every later request,
 * reports its host's inventory under fresh idempotency keys, and holds a long-poll in a loop,
 * answering {@code ping} tasks whose Ed25519 signature (alone or with a batch) verifies, as the real agent does. Like the
 * real agent it has at most one report and one poll in flight at a time.
 */
final class SimulatedAgent {

    private final SimulatedHost host;
    private final AgentTransport transport;
    private final LoadCounters counters;
    private volatile RequestSigner signer;
    private volatile TaskVerifier verifier;
    private volatile String agentId;
    private volatile String secret;
    private volatile String serverKey;
    private volatile ScriptTasks scripts;
    /** Task ids this agent has taken (the real agent's journal): a task delivered again does not run twice. */
    private final java.util.Set<String> taken = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * How this agent answers {@link Task#SCRIPT} tasks (job steps); without one it refuses them, as
     * before. {@link #answer} gives the output; {@link #reported} hears when the server
     * acknowledged the last chunk.
     */
    interface ScriptTasks {
        ScriptResult answer(Task task) throws InterruptedException;

        void received(Task task, long nanos);

        void reported(Task task, long nanos);
    }

    /** What a script printed and how it exited. */
    record ScriptResult(String stdout, String stderr, int exitCode, Instant startedAt, Instant finishedAt) {
    }

    SimulatedAgent(SimulatedHost host, AgentTransport transport, LoadCounters counters) {
        this.host = host;
        this.transport = transport;
        this.counters = counters;
    }

    void enroll(String enrollToken) throws IOException, InterruptedException {
        var request = new EnrollRequest(enrollToken, host.fingerprint(), "0.1.0-sim", ProtocolVersion.CURRENT);
        var answer = transport.enroll(ProtocolJson.write(request));
        if (answer.status() >= 500 || answer.status() == 429) {
            throw new RetryableException("enrollment answered " + answer.status());
        }
        if (answer.status() != 201) {
            throw new IllegalStateException("enrollment of " + host.hostname() + " refused: " + answer.status() + " " + answer.text());
        }
        var enrolled = ProtocolJson.read(answer.body(), EnrollResponse.class);
        PublicKey serverKey = Ed25519Keys.publicKey(enrolled.serverPublicKey());
        this.verifier = new TaskVerifier(serverKey);
        this.signer = new RequestSigner(enrolled.agentId(), Base64.getDecoder().decode(enrolled.secret()), Clock.systemUTC());
        this.agentId = enrolled.agentId();
        this.secret = enrolled.secret();
        this.serverKey = enrolled.serverPublicKey();
    }

    /** The identity the server issued, one line ({@code id secret serverKey}), for {@link #restore} in a later run. */
    String identity() {
        return agentId + " " + secret + " " + serverKey;
    }

    /** Takes up an identity saved by {@link #identity} (the same data directory, a restarted server). */
    void restore(String identity) {
        String[] f = identity.strip().split(" ");
        this.verifier = new TaskVerifier(Ed25519Keys.publicKey(f[2]));
        this.signer = new RequestSigner(f[0], Base64.getDecoder().decode(f[1]), Clock.systemUTC());
        this.agentId = f[0];
        this.secret = f[1];
        this.serverKey = f[2];
    }

    void answerScriptsWith(ScriptTasks scripts) {
        this.scripts = scripts;
    }

    /** A refusal the real agent retries later (5xx, 429): the server could not take the call now. */
    static final class RetryableException extends RuntimeException {
        RetryableException(String message) {
            super(message);
        }
    }

    /**
     * Reports the host's current inventory; true when the server acknowledged it ACCEPTED, false
     * (counted) when it refused it for good.
     *
     * @throws RetryableException when the server could not take it now (5xx, 429)
     */
    boolean report() throws IOException, InterruptedException {
        Inventory inventory = host.inventory();
        String key = "inv-" + UUID.randomUUID();
        var request = new InventoryRequest(key, Instant.now(), InventoryHash.of(inventory), inventory);
        var answer = transport.post(signer, AgentEndpoints.INVENTORY, ProtocolJson.write(request), key);
        if (answer.status() >= 500 || answer.status() == 429) {
            throw new RetryableException("inventory answered " + answer.status());
        }
        if (answer.status() != 200) {
            counters.failedReport(answer.status() + " " + answer.text());
            return false;
        }
        var ack = ProtocolJson.read(answer.body(), InventoryResponse.class).acknowledgement();
        return ack.status() == Acknowledgement.Status.ACCEPTED && ack.idempotencyKey().equals(key);
    }

    /** Changes the host as real hosts change (see {@link SimulatedHost#change}); returns what changed. */
    String changeHost() {
        return host.change();
    }

    /**
     * Holds long-polls back to back until {@code running} turns false: the agent's heartbeat and
     * its task channel. A failed poll is counted and retried after a second.
     */
    void holdPolls(int waitSeconds, java.util.function.BooleanSupplier running) throws InterruptedException {
        String path = AgentEndpoints.TASKS + "?wait=" + waitSeconds + "&outboxDropped=0";
        Duration timeout = Duration.ofSeconds(waitSeconds + 30L);
        while (running.getAsBoolean()) {
            counters.pollStarted();
            AgentTransport.Answer answer;
            try {
                answer = transport.get(signer, path, timeout);
            } catch (IOException e) {
                counters.pollEnded();
                counters.failedPoll(e.toString());
                Thread.sleep(1000);
                continue;
            }
            counters.pollEnded();
            if (answer.status() != 200) {
                counters.failedPoll(answer.status() + " " + answer.text());
                Thread.sleep(1000);
                continue;
            }
            for (SignedTask task : ProtocolJson.read(answer.body(), TaskPollResponse.class).tasks()) {
                run(task);
            }
        }
    }

    /**
     * Batch signatures this JVM has checked, by server key, tree size, root and signature. Every
     * agent recomputes its batch's root from its own task and audit path; the one Ed25519 check of
     * that root is then made once for all the simulated agents of this JVM instead of once per agent
     * (it is deterministic: same key, bytes and signature, same answer). A real fleet makes it once
     * per host, on that host's CPU — here it would be thousands of checks on the two cores the
     * server needs.
     */
    private static final java.util.concurrent.ConcurrentHashMap<String, Boolean> CHECKED_BATCHES = new java.util.concurrent.ConcurrentHashMap<>();

    private boolean verifies(SignedTask signed) {
        if (signed.batch() == null) {
            return verifier.verify(signed);
        }
        var root = TaskTree.rootOf(TaskSigner.canonical(signed.task()), signed.batch());
        if (root.isEmpty()) {
            return false;
        }
        String key = serverKey + " " + signed.batch().treeSize() + " " + Base64.getEncoder().encodeToString(root.get()) + " "
                + signed.signature();
        return CHECKED_BATCHES.computeIfAbsent(key, k -> TaskSignatureCheck.verifiesSignature(Ed25519Keys.publicKey(serverKey),
                TaskTree.signedBytes(signed.batch().treeSize(), root.get()), signed.signature()));
    }

    private void run(SignedTask signed) throws InterruptedException {
        long receivedNanos = System.nanoTime();
        Task task = signed.task();
        if (!verifies(signed) || !agentId.equals(task.agentId()) || task.expiresAt().isBefore(Instant.now())) {
            counters.refusedTask();
            return;
        }
        if (!taken.add(task.taskId())) {
            return; // delivered again (an earlier poll's answer was taken for lost); it ran once already
        }
        ScriptTasks answering = scripts;
        if (Task.SCRIPT.equals(task.type()) && answering != null) {
            answering.received(task, receivedNanos);
            ScriptResult r = answering.answer(task);
            // The real agent's last chunk of a short script: sequence 0, the whole output, the exit code and timings.
            var out = new TaskOutputRequest("task-" + task.taskId() + "-output-0", task.taskId(), 0, r.stdout(), r.stderr(), true,
                    r.exitCode(), r.startedAt(), r.finishedAt(), false, TaskOutputRequest.OUTCOME_EXITED);
            if (deliver(out)) {
                answering.reported(task, System.nanoTime());
            }
            return;
        }
        boolean ping = Task.PING.equals(task.type());
        Instant now = Instant.now();
        var out = new TaskOutputRequest("out-" + task.taskId() + "-0", task.taskId(), 0, ping ? "pong\n" : "",
                ping ? "" : "unsupported task type " + task.type() + "\n", true, ping ? 0 : 127, now, now);
        deliver(out);
    }

    /**
     * Sends one output chunk as the agent's outbox does: again after a transport error, a 5xx or a
     * 429 (1 s, then doubling, up to 6 tries here), the same idempotency key every time; true
     * once the server acknowledged it (accepted, or a duplicate of a delivery it already holds).
     */
    private boolean deliver(TaskOutputRequest out) throws InterruptedException {
        byte[] json = ProtocolJson.write(out);
        for (int attempt = 0; ; attempt++) {
            try {
                var answer = transport.post(signer, AgentEndpoints.taskOutput(out.taskId()), json, out.idempotencyKey());
                if (answer.status() == 200) {
                    counters.answeredTask();
                    return true;
                }
                if (answer.status() < 500 && answer.status() != 429) {
                    counters.failedPoll("task output " + answer.status() + " " + answer.text());
                    return false;
                }
                if (attempt == 6) {
                    counters.failedPoll("task output " + answer.status() + " after 7 tries");
                    return false;
                }
                counters.retried("task output " + answer.status());
            } catch (IOException e) {
                if (attempt == 6) {
                    counters.failedPoll("task output: " + e);
                    return false;
                }
                counters.retried("task output: " + e);
            }
            Thread.sleep(1000L << attempt);
        }
    }

    String agentId() {
        return agentId;
    }

    /** Signs this agent's requests (after enrollment). */
    RequestSigner signer() {
        return signer;
    }

    String hostname() {
        return host.hostname();
    }
}
