package io.opsbase.protocol;

import java.util.Objects;

/** {@code POST /api/v1/agent/enroll}: the only unsigned call; the one-time token authenticates it. */
public record EnrollRequest(String enrollToken, HostFingerprint fingerprint, String agentVersion, ProtocolVersion protocolVersion) {

    public EnrollRequest {
        Objects.requireNonNull(enrollToken, "enrollToken");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(protocolVersion, "protocolVersion");
    }

    @Override
    public String toString() {
        return "EnrollRequest[enrollToken=(hidden), fingerprint=" + fingerprint + ", agentVersion=" + agentVersion
                + ", protocolVersion=" + protocolVersion + "]";
    }
}
