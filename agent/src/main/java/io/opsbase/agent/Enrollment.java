package io.opsbase.agent;

import java.io.IOException;
import java.net.URI;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opsbase.agent.state.AgentState;
import io.opsbase.agent.state.AgentStateStore;
import io.opsbase.agent.transport.ServerClient;
import io.opsbase.agent.transport.ServerRejection;
import io.opsbase.protocol.EnrollRequest;
import io.opsbase.protocol.HostFingerprint;
import io.opsbase.protocol.ProtocolVersion;

/**
 * Gets the agent an identity: the one in the state directory if there is one, else a new one from
 * the server in exchange for the enrollment token and the host's fingerprint. The server's answer is
 * checked (a decodable secret and Ed25519 key) before it is stored.
 */
public final class Enrollment {

    private static final Logger LOG = LoggerFactory.getLogger(Enrollment.class);

    /** The agent has no identity and no token to get one. */
    public static final class NotEnrolledException extends Exception {
        NotEnrolledException(String message) {
            super(message);
        }
    }

    private final AgentStateStore store;
    private final ServerClient client;
    private final URI server;
    private final String agentVersion;

    public Enrollment(AgentStateStore store, ServerClient client, URI server, String agentVersion) {
        this.store = store;
        this.client = client;
        this.server = server;
        this.agentVersion = agentVersion;
    }

    /** The stored identity, if it was issued by this server. */
    public Optional<AgentState> existing() throws IOException {
        var state = store.load();
        if (state.isPresent() && !state.get().serverUrl().equals(server.toString())) {
            LOG.warn("the agent state in {} belongs to {}, not to {}; enrolling again", store.file(), state.get().serverUrl(), server);
            return Optional.empty();
        }
        return state;
    }

    /** An Ed25519 public key in X.509 form: this 12-byte header, then the 32 key bytes. */
    private static final byte[] ED25519_X509_HEADER = HexFormat.of().parseHex("302a300506032b6570032100");

    /**
     * Checks the form of the server's key without loading the JDK's EdDSA classes, which an agent
     * without tasks never needs ({@code TaskSignatures} decodes the key at the first task).
     */
    static void requireEd25519Key(String base64) throws IOException {
        byte[] der;
        try {
            der = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IOException("the server's public key is not base64");
        }
        if (der.length != ED25519_X509_HEADER.length + 32
                || !Arrays.equals(der, 0, ED25519_X509_HEADER.length, ED25519_X509_HEADER, 0, ED25519_X509_HEADER.length)) {
            throw new IOException("the server's public key is not an X.509 Ed25519 key");
        }
    }

    public AgentState enroll(Optional<String> token, HostFingerprint fingerprint)
            throws IOException, InterruptedException, ServerRejection, NotEnrolledException {
        if (token.isEmpty()) {
            throw new NotEnrolledException("this agent is not enrolled yet: pass --enroll-token (an administrator creates one "
                    + "on the Enrollment tokens page, or with POST /api/v1/enrollment-tokens)");
        }
        var response = client.enroll(new EnrollRequest(token.get(), fingerprint, agentVersion, ProtocolVersion.CURRENT));
        if (response.protocolVersion() != null && !response.protocolVersion().isCompatibleWith(ProtocolVersion.CURRENT)) {
            throw new IOException("the server speaks protocol " + response.protocolVersion() + ", this agent " + ProtocolVersion.CURRENT);
        }
        requireEd25519Key(response.serverPublicKey());
        if (Base64.getDecoder().decode(response.secret()).length < 16) {
            throw new IOException("the server issued a secret shorter than 16 bytes");
        }
        var state = new AgentState(server.toString(), response.agentId(), response.secret(), response.serverPublicKey());
        store.save(state);
        LOG.info("enrolled as agent {} ({}); identity stored in {}", response.agentId(),
                response.approval() == null ? "approval unknown" : response.approval().name().toLowerCase(java.util.Locale.ROOT),
                store.file());
        return state;
    }
}
