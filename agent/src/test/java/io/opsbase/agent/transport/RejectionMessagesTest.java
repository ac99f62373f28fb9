package io.opsbase.agent.transport;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.opsbase.protocol.Problem;
import io.opsbase.protocol.signing.RejectionReason;

class RejectionMessagesTest {

    @Test
    void givesEverySignatureRejectionItsOwnAdvice() {
        for (var reason : RejectionReason.values()) {
            var problem = new Problem(Problem.SIGNATURE_TYPE, "Agent request refused", 401, "detail from server", reason.name(), 30L);

            assertThat(RejectionMessages.describe("GET", "/api/v1/agent/tasks", 401, problem))
                    .startsWith("server rejected GET /api/v1/agent/tasks: 401 " + reason.name() + " - detail from server (")
                    .endsWith(")");
        }
    }

    @Test
    void saysWhichWayTheClockIsOff() {
        var ahead = new Problem(Problem.SIGNATURE_TYPE, null, 401, "too new", "STALE_TIMESTAMP", 900L);

        assertThat(RejectionMessages.describe("POST", "/p", 401, ahead)).contains("900 s ahead of the server's");
    }

    @Test
    void fallsBackToTheTitleWhenTheServerGaveNoDetail() {
        var problem = new Problem("about:blank", "HTTP 502", 502, null, null, null);

        assertThat(RejectionMessages.describe("POST", "/p", 502, problem)).isEqualTo("server rejected POST /p: 502 - HTTP 502");
    }
}
