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
import io.opsbase.protocol.signing.TaskVerifier;

/**
 * One simulated agent speaking the real protocol: it enrolls with its own host fingerprint, keeps
 * the identity it is given (id, HMAC secret, pinned server key), signs every later request,
 * reports its host's inventory under fresh idempotency keys, and holds a long-poll in a loop,
 * answering {@code ping} tasks whose Ed25519 signature verifies, as the real agent does. Like the
 * real agent it has at most one report and one poll in flight at a time.
 */
final class SimulatedAgent {

    private final SimulatedHost host;
    private final AgentTransport transport;
    private final LoadCounters counters;
    private volatile RequestSigner signer;
    private volatile TaskVerifier verifier;
    private volatile String agentId;

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

    private void run(SignedTask signed) throws InterruptedException {
        Task task = signed.task();
        if (!verifier.verify(signed) || !agentId.equals(task.agentId()) || task.expiresAt().isBefore(Instant.now())) {
            counters.refusedTask();
            return;
        }
        boolean ping = Task.PING.equals(task.type());
        Instant now = Instant.now();
        var out = new TaskOutputRequest("out-" + task.taskId() + "-0", task.taskId(), 0, ping ? "pong\n" : "",
                ping ? "" : "unsupported task type " + task.type() + "\n", true, ping ? 0 : 127, now, now);
        try {
            var answer = transport.post(signer, AgentEndpoints.taskOutput(task.taskId()), ProtocolJson.write(out), out.idempotencyKey());
            if (answer.status() == 200) {
                counters.answeredTask();
            } else {
                counters.failedPoll("task output " + answer.status() + " " + answer.text());
            }
        } catch (IOException e) {
            counters.failedPoll("task output: " + e);
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
