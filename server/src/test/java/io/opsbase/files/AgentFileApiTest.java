package io.opsbase.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import io.opsbase.agents.EnrollmentTokenService;
import io.opsbase.audit.AuditLog;
import io.opsbase.audit.AuditQuery;
import io.opsbase.auth.Role;
import io.opsbase.protocol.AgentEndpoints;
import io.opsbase.protocol.EnrollRequest;
import io.opsbase.protocol.EnrollResponse;
import io.opsbase.protocol.FileUploadResponse;
import io.opsbase.protocol.HostFingerprint;
import io.opsbase.protocol.ProtocolJson;
import io.opsbase.protocol.ProtocolVersion;
import io.opsbase.protocol.signing.RequestSigner;
import io.opsbase.protocol.signing.SignatureHeaders;
import io.opsbase.testing.TestUsers;

/** Agents' file transfer with real signatures: ranged download, streamed upload, and every refusal. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestUsers.class)
class AgentFileApiTest {

    @LocalServerPort
    int port;

    @Autowired
    TestUsers users;

    @Autowired
    EnrollmentTokenService enrollmentTokens;

    @Autowired
    FileStore store;

    @Autowired
    AuditLog auditLog;

    final HttpClient http = HttpClient.newHttpClient();

    RequestSigner enroll() throws Exception {
        String token = enrollmentTokens.issue(1, null, false, "test", "admin").token();
        var request = new EnrollRequest(token, new HostFingerprint("mid-" + System.nanoTime(), null, null, null,
                List.of("02:00:00:00:00:02"), "files-" + System.nanoTime()), "1.0.0", ProtocolVersion.CURRENT);
        var r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + AgentEndpoints.ENROLL))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(ProtocolJson.write(request))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(201);
        var enrolled = ProtocolJson.read(r.body(), EnrollResponse.class);
        return new RequestSigner(enrolled.agentId(), Base64.getDecoder().decode(enrolled.secret()), Clock.systemUTC());
    }

    String uploadAsOperator(byte[] content) throws Exception {
        var r = new FileTransfers(port).upload("/api/v1/files?name=payload.bin", content,
                Map.of("Authorization", "Bearer " + users.tokenFor(Role.OPERATOR)));
        assertThat(r.statusCode()).isEqualTo(201);
        return FileTransfers.sha256(content);
    }

    HttpResponse<byte[]> signedGet(RequestSigner agent, String path, Map<String, String> extra) throws Exception {
        var headers = new HashMap<>(agent.sign("GET", path, new byte[0]).asMap());
        headers.putAll(extra);
        return new FileTransfers(port).get(path, headers);
    }

    HttpResponse<byte[]> streamedUpload(RequestSigner agent, String pathAndQuery, byte[] body, String declared,
            String signedOver) throws Exception {
        var headers = new HashMap<>(agent.signStreamed("POST", pathAndQuery, signedOver).asMap());
        if (declared != null) {
            headers.put(SignatureHeaders.CONTENT_SHA256, declared);
        }
        headers.put("Content-Type", "application/octet-stream");
        return new FileTransfers(port).uploadChunked(pathAndQuery, body, headers);
    }

    @Test
    void agentDownloadsAFileWholeAndByRangeWithSignedRequests() throws Exception {
        byte[] content = FileTransfers.content(200_000, 21);
        String sha = uploadAsOperator(content);
        RequestSigner agent = enroll();

        var whole = signedGet(agent, AgentEndpoints.file(sha), Map.of());
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(FileTransfers.sha256(whole.body())).isEqualTo(sha);

        var rest = signedGet(agent, AgentEndpoints.file(sha), Map.of("Range", "bytes=150000-", "If-Range", "\"" + sha + "\""));
        assertThat(rest.statusCode()).isEqualTo(206);
        assertThat(rest.headers().firstValue("Content-Range")).hasValue("bytes 150000-199999/200000");
        assertThat(rest.body()).isEqualTo(java.util.Arrays.copyOfRange(content, 150_000, 200_000));

        assertThat(signedGet(agent, AgentEndpoints.file("0".repeat(64)), Map.of()).statusCode()).isEqualTo(404);
        assertThat(signedGet(agent, AgentEndpoints.file(sha), Map.of("Range", "bytes=300000-")).statusCode()).isEqualTo(416);
    }

    @Test
    void refusesUnsignedAndTamperedDownloads() throws Exception {
        String sha = uploadAsOperator(FileTransfers.content(1000, 22));
        RequestSigner agent = enroll();
        String path = AgentEndpoints.file(sha);

        assertThat(new FileTransfers(port).get(path, Map.of()).statusCode()).isEqualTo(401);
        var operatorToken = Map.of("Authorization", "Bearer " + users.tokenFor(Role.ADMIN));
        assertThat(new FileTransfers(port).get(path, operatorToken).statusCode()).isEqualTo(401);

        var headers = new HashMap<>(agent.sign("GET", path, new byte[0]).asMap());
        String signature = headers.get(SignatureHeaders.SIGNATURE);
        headers.put(SignatureHeaders.SIGNATURE, (signature.charAt(0) == 'a' ? "b" : "a") + signature.substring(1));
        var tampered = new FileTransfers(port).get(path, headers);
        assertThat(tampered.statusCode()).isEqualTo(401);
        assertThat(new String(tampered.body(), StandardCharsets.UTF_8)).contains("BAD_SIGNATURE");

        var otherFile = agent.sign("GET", AgentEndpoints.file("1".repeat(64)), new byte[0]).asMap();
        var swapped = new FileTransfers(port).get(path, otherFile);
        assertThat(swapped.statusCode()).as("a signature for another file").isEqualTo(401);
    }

    @Test
    void agentUploadsAStreamedFileSignedOverItsDeclaredDigest() throws Exception {
        RequestSigner agent = enroll();
        byte[] content = FileTransfers.content(700_000, 23);
        String sha = FileTransfers.sha256(content);

        var r = streamedUpload(agent, AgentEndpoints.FILES + "?name=messages.log", content, sha, sha);
        assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(201);
        assertThat(ProtocolJson.read(r.body(), FileUploadResponse.class)).isEqualTo(new FileUploadResponse(sha, 700_000));
        StoredFile stored = store.find(sha).orElseThrow();
        assertThat(stored.name()).isEqualTo("messages.log");
        assertThat(stored.uploadedBy()).isEqualTo("agent:" + agent.agentId());
        assertThat(auditLog.list(new AuditQuery("agent:" + agent.agentId(), "file.uploaded", "file", sha, null, null, null,
                null, 10)).items()).hasSize(1);

        var again = streamedUpload(agent, AgentEndpoints.FILES + "?name=messages.log", content, sha, sha);
        assertThat(again.statusCode()).isEqualTo(200);
    }

    @Test
    void refusesAnUploadWhoseBodyDoesNotMatchItsDeclaredDigestAndKeepsNothing() throws Exception {
        RequestSigner agent = enroll();
        byte[] declaredContent = FileTransfers.content(50_000, 24);
        byte[] sent = FileTransfers.content(50_000, 25);
        String declared = FileTransfers.sha256(declaredContent);

        var r = streamedUpload(agent, AgentEndpoints.FILES + "?name=x", sent, declared, declared);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("/problems/content-digest-mismatch");
        assertThat(store.find(declared)).isEmpty();
        assertThat(store.find(FileTransfers.sha256(sent))).isEmpty();
        assertThat(store.pendingUploads()).isZero();
    }

    @Test
    void refusesAnUploadWithATamperedSignatureOrNoDeclaredDigest() throws Exception {
        RequestSigner agent = enroll();
        byte[] content = FileTransfers.content(10_000, 26);
        String sha = FileTransfers.sha256(content);
        String other = FileTransfers.sha256(new byte[] {1});

        var swappedDigest = streamedUpload(agent, AgentEndpoints.FILES + "?name=x", content, sha, other);
        assertThat(swappedDigest.statusCode()).isEqualTo(401);
        assertThat(new String(swappedDigest.body(), StandardCharsets.UTF_8)).contains("BAD_SIGNATURE");

        var renamed = new HashMap<>(agent.signStreamed("POST", AgentEndpoints.FILES + "?name=x", sha).asMap());
        renamed.put(SignatureHeaders.CONTENT_SHA256, sha);
        var wrongName = new FileTransfers(port).upload(AgentEndpoints.FILES + "?name=y", content, renamed);
        assertThat(wrongName.statusCode()).as("the name is part of the signed path").isEqualTo(401);

        var undeclared = streamedUpload(agent, AgentEndpoints.FILES + "?name=x", content, null, sha);
        assertThat(undeclared.statusCode()).isEqualTo(401);
        assertThat(new String(undeclared.body(), StandardCharsets.UTF_8)).contains("MISSING_HEADERS");
        assertThat(store.find(sha)).isEmpty();
    }

    @Test
    void aDeclaredDigestDoesNotStandInForTheBodyOnOtherAgentRoutes() throws Exception {
        RequestSigner agent = enroll();
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        String declared = FileTransfers.sha256("{\"other\":1}".getBytes(StandardCharsets.UTF_8));
        var headers = new HashMap<>(agent.signStreamed("POST", AgentEndpoints.INVENTORY, declared).asMap());
        headers.put(SignatureHeaders.CONTENT_SHA256, declared);
        headers.put("Content-Type", "application/json");

        var r = new FileTransfers(port).upload(AgentEndpoints.INVENTORY, body, headers);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("BAD_SIGNATURE");
    }
}
