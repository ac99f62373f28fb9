package io.opsbase.jobs;

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
import io.opsbase.protocol.ProtocolJson;
import io.opsbase.protocol.ProtocolVersion;
import io.opsbase.protocol.SignedTask;
import io.opsbase.protocol.TaskOutputRequest;
import io.opsbase.protocol.TaskPollResponse;
import io.opsbase.protocol.signing.Ed25519Keys;
import io.opsbase.protocol.signing.RequestSigner;
import io.opsbase.protocol.signing.TaskVerifier;

/**
 * An agent speaking the real protocol over real HTTP with real signatures — enrollment, signed
 * polls, signed output — whose answers the test chooses. It checks every task's server signature.
 */
final class ProtocolAgent {

    private final HttpClient http = HttpClient.newHttpClient();
    private final int port;
    final EnrollResponse enrolled;
    private final RequestSigner signer;
    private final TaskVerifier verifier;

    private ProtocolAgent(int port, EnrollResponse enrolled) {
        this.port = port;
        this.enrolled = enrolled;
        this.signer = new RequestSigner(enrolled.agentId(), Base64.getDecoder().decode(enrolled.secret()), Clock.systemUTC());
        this.verifier = new TaskVerifier(Ed25519Keys.publicKey(enrolled.serverPublicKey()));
    }

    static ProtocolAgent enroll(int port, String token) throws Exception {
        var request = new EnrollRequest(token, new HostFingerprint("mid-" + UUID.randomUUID(), null, null, null,
                List.of("02:00:00:00:00:02"), "host-" + UUID.randomUUID()), "1.0.0", ProtocolVersion.CURRENT);
        var r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/agent/enroll"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(ProtocolJson.write(request))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(201);
        return new ProtocolAgent(port, ProtocolJson.read(r.body(), EnrollResponse.class));
    }

    long id() {
        return Long.parseLong(enrolled.agentId());
    }

    /** One immediate poll; every task returned has a valid server signature. */
    List<SignedTask> poll() throws Exception {
        return poll(null);
    }

    /** One immediate poll announcing {@code protocolVersion} (none when null), as agents send it. */
    List<SignedTask> poll(String protocolVersion) throws Exception {
        var r = signed("GET", "/api/v1/agent/tasks?wait=0", new byte[0], protocolVersion);
        assertThat(r.statusCode()).isEqualTo(200);
        var tasks = ProtocolJson.read(r.body().getBytes(StandardCharsets.UTF_8), TaskPollResponse.class).tasks();
        tasks.forEach(t -> assertThat(verifier.verify(t)).as("server signature of task " + t.task().taskId()).isTrue());
        return tasks;
    }

    /** Whether this agent's check of the server signature (alone or with a batch) passes. */
    boolean verifies(SignedTask task) {
        return verifier.verify(task);
    }

    /** Sends one output chunk; answers the acknowledgement's status (ACCEPTED or DUPLICATE). */
    String report(String taskId, int sequence, String stdout, boolean last, Integer exitCode, String outcome) throws Exception {
        var out = new TaskOutputRequest(taskId + "-" + sequence, taskId, sequence, stdout, null, last, exitCode, null, null,
                false, outcome);
        var r = signed("POST", "/api/v1/agent/tasks/" + taskId + "/output", ProtocolJson.write(out));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.body().contains("DUPLICATE") ? "DUPLICATE" : "ACCEPTED";
    }

    /** Sends one chunk carrying transfer progress and no output. */
    void reportProgress(String taskId, int sequence, long bytes, long total) throws Exception {
        var out = new TaskOutputRequest(taskId + "-" + sequence, taskId, sequence, "", null, false, null, null, null,
                false, null, bytes, total);
        var r = signed("POST", "/api/v1/agent/tasks/" + taskId + "/output", ProtocolJson.write(out));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private HttpResponse<String> signed(String method, String pathAndQuery, byte[] body) throws Exception {
        return signed(method, pathAndQuery, body, null);
    }

    private HttpResponse<String> signed(String method, String pathAndQuery, byte[] body, String protocolVersion) throws Exception {
        var b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", "application/json");
        if (protocolVersion != null) {
            b.header(ProtocolVersion.HEADER, protocolVersion);
        }
        signer.sign(method, pathAndQuery, body).asMap().forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
