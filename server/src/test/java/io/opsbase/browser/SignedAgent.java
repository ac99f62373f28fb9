package io.opsbase.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import io.opsbase.protocol.EnrollRequest;
import io.opsbase.protocol.EnrollResponse;
import io.opsbase.protocol.HostFingerprint;
import io.opsbase.protocol.InventoryRequest;
import io.opsbase.protocol.ProtocolJson;
import io.opsbase.protocol.ProtocolVersion;
import io.opsbase.protocol.Task;
import io.opsbase.protocol.TaskOutputRequest;
import io.opsbase.protocol.TaskPollResponse;
import io.opsbase.protocol.inventory.Inventory;
import io.opsbase.protocol.inventory.InventoryHash;
import io.opsbase.protocol.inventory.NetworkInterface;
import io.opsbase.protocol.signing.RequestSigner;

/**
 * A simulated agent for the browser tests, speaking the real protocol over HTTP: it enrolls with a
 * token (one an admin created in the UI), signs its requests, reports inventories and answers pings
 * the way the real agent does.
 */
final class SignedAgent {

    private final int port;
    private final long id;
    private final RequestSigner signer;
    private final HttpClient http = HttpClient.newHttpClient();

    private SignedAgent(int port, long id, RequestSigner signer) {
        this.port = port;
        this.id = id;
        this.signer = signer;
    }

    static SignedAgent enroll(int port, String token, Inventory host, String version, Clock clock) throws Exception {
        var system = host.system();
        var fingerprint = new HostFingerprint(host.machineId(), system == null ? null : system.manufacturer(),
                system == null ? null : system.serial(), system == null ? null : system.smbiosUuid(),
                host.networkInterfaces().stream().map(NetworkInterface::mac).toList(), host.hostname());
        var r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/agent/enroll"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(ProtocolJson.write(
                        new EnrollRequest(token, fingerprint, version, ProtocolVersion.CURRENT)))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(201);
        var enrolled = ProtocolJson.read(r.body(), EnrollResponse.class);
        return new SignedAgent(port, Long.parseLong(enrolled.agentId()),
                new RequestSigner(enrolled.agentId(), Base64.getDecoder().decode(enrolled.secret()), clock));
    }

    long id() {
        return id;
    }

    void report(Inventory inventory, Clock clock) throws Exception {
        var request = new InventoryRequest("inv-" + UUID.randomUUID(), clock.instant(), InventoryHash.of(inventory), inventory);
        var r = signed("POST", "/api/v1/agent/inventory", ProtocolJson.write(request));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    /** Collects waiting tasks once (no long wait) and answers each ping with {@code pong}; returns how many. */
    int answerPings() throws Exception {
        var poll = signed("GET", "/api/v1/agent/tasks?wait=0", new byte[0]);
        assertThat(poll.statusCode()).as(poll.body()).isEqualTo(200);
        List<io.opsbase.protocol.SignedTask> tasks = ProtocolJson.read(poll.body().getBytes(StandardCharsets.UTF_8),
                TaskPollResponse.class).tasks();
        for (var t : tasks) {
            String taskId = t.task().taskId();
            boolean ping = Task.PING.equals(t.task().type());
            var out = new TaskOutputRequest("out-" + taskId, taskId, 0, ping ? "pong" : "", null, true, ping ? 0 : 127,
                    null, null);
            signed("POST", "/api/v1/agent/tasks/" + taskId + "/output", ProtocolJson.write(out));
        }
        return tasks.size();
    }

    /** Collects waiting tasks once (no long wait), without answering them. */
    List<Task> tasks() throws Exception {
        var poll = signed("GET", "/api/v1/agent/tasks?wait=0", new byte[0]);
        assertThat(poll.statusCode()).as(poll.body()).isEqualTo(200);
        return ProtocolJson.read(poll.body().getBytes(StandardCharsets.UTF_8), TaskPollResponse.class).tasks().stream()
                .map(io.opsbase.protocol.SignedTask::task).toList();
    }

    /** Sends one output chunk of a task. */
    void output(TaskOutputRequest out) throws Exception {
        var r = signed("POST", "/api/v1/agent/tasks/" + out.taskId() + "/output", ProtocolJson.write(out));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private HttpResponse<String> signed(String method, String path, byte[] body) throws Exception {
        var b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", "application/json");
        signer.sign(method, path, body).asMap().forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
