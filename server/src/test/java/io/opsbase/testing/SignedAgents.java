package io.opsbase.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import io.opsbase.agents.AgentService;
import io.opsbase.agents.EnrollmentTokenService;
import io.opsbase.protocol.EnrollRequest;
import io.opsbase.protocol.EnrollResponse;
import io.opsbase.protocol.HostFingerprint;
import io.opsbase.protocol.ProtocolJson;
import io.opsbase.protocol.ProtocolVersion;
import io.opsbase.protocol.signing.RequestSigner;

/** Enrols an agent through the real endpoint, binds it to a CI and returns its request signer. */
public final class SignedAgents {

    private SignedAgents() {
    }

    public static RequestSigner enroll(HttpClient http, int port, EnrollmentTokenService tokens, AgentService agents,
            long ciId, String purpose) throws Exception {
        var enrolled = enrollUnbound(http, port, tokens, purpose);
        agents.bind(Long.parseLong(enrolled.agentId()), ciId);
        return signer(enrolled);
    }

    /** Enrols an agent with a fresh one-use token and a random host fingerprint; binds it to nothing. */
    public static EnrollResponse enrollUnbound(HttpClient http, int port, EnrollmentTokenService tokens, String purpose)
            throws Exception {
        String token = tokens.issue(1, null, false, purpose, "admin").token();
        var fingerprint = new HostFingerprint(UUID.randomUUID().toString().replace("-", ""), null, null, null, List.of(),
                "test-" + UUID.randomUUID());
        var r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/agent/enroll"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(ProtocolJson.write(
                        new EnrollRequest(token, fingerprint, "1.0.0", ProtocolVersion.CURRENT)))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(201);
        return ProtocolJson.read(r.body(), EnrollResponse.class);
    }

    /** The request signer of an enrolled agent. */
    public static RequestSigner signer(EnrollResponse enrolled) {
        return new RequestSigner(enrolled.agentId(), Base64.getDecoder().decode(enrolled.secret()), java.time.Clock.systemUTC());
    }
}
