package io.opsbase.agents.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

import io.opsbase.agents.AgentService;
import io.opsbase.platform.SecretCipher;

/** The cache of decrypted agent secrets: revocation and secret changes reach it, here and from other nodes. */
@SpringBootTest
class AgentCredentialCacheTest {

    @Autowired
    AgentCredentialCache cache;

    @Autowired
    AgentRepository agents;

    @Autowired
    AgentService agentService;

    @Autowired
    SecretCipher cipher;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    LastSeenRecorder lastSeen;

    long enrolledAgent(String secret) {
        return agents.insert(cipher.encrypt(Base64.getEncoder().encodeToString(secret.getBytes())), "h-" + System.nanoTime(),
                "{}", "1.0.0", "10.0.0.1", null, false, Instant.now());
    }

    String secretOf(long id) {
        return new String(cache.find(Long.toString(id)).orElseThrow().secret());
    }

    @Test
    void revocationOnThisNodeTakesEffectForTheNextRequest() {
        long id = enrolledAgent("first-secret");
        assertThat(cache.find(Long.toString(id)).orElseThrow().revoked()).isFalse();
        agentService.revoke(id);
        assertThat(cache.find(Long.toString(id)).orElseThrow().revoked()).isTrue();
    }

    @Test
    void aChangeWrittenByAnotherNodeIsPickedUpByThePoll() {
        long id = enrolledAgent("first-secret");
        assertThat(secretOf(id)).isEqualTo("first-secret");
        // Another node rotates the secret: a new sealed secret and credentials_changed_at.
        jdbc.sql("update agents set secret_sealed = :s, credentials_changed_at = :now where id = :id")
                .param("s", cipher.encrypt(Base64.getEncoder().encodeToString("second-secret".getBytes())))
                .param("now", Timestamp.from(Instant.now())).param("id", id).update();
        assertThat(secretOf(id)).as("cached until the poll").isEqualTo("first-secret");
        cache.dropChanged();
        assertThat(secretOf(id)).isEqualTo("second-secret");

        jdbc.sql("update agents set revoked_at = :now, credentials_changed_at = :now where id = :id")
                .param("now", Timestamp.from(Instant.now())).param("id", id).update();
        cache.dropChanged();
        assertThat(cache.find(Long.toString(id)).orElseThrow().revoked()).isTrue();
    }

    @Test
    void unknownAgentsAreNotFound() {
        assertThat(cache.find("999999999")).isEmpty();
        assertThat(cache.find("not-a-number")).isEmpty();
    }

    @Test
    void lastSeenIsWrittenInBatchesAndOnlyWhenItMatters() {
        long id = enrolledAgent("s");
        Instant t0 = Instant.parse("2030-01-01T00:00:00Z");
        lastSeen.seen(id, "10.0.0.2", "1.1.0", t0);
        assertThat(agents.find(id, t0).orElseThrow().address()).as("not before the flush").isEqualTo("10.0.0.1");
        lastSeen.flush();
        var row = agents.find(id, t0).orElseThrow();
        assertThat(row.lastSeenAt()).isEqualTo(t0);
        assertThat(row.address()).isEqualTo("10.0.0.2");
        assertThat(row.version()).isEqualTo("1.1.0");

        lastSeen.seen(id, "10.0.0.2", null, t0.plusSeconds(5));
        lastSeen.flush();
        assertThat(agents.find(id, t0).orElseThrow().lastSeenAt()).as("within 15 s, same address").isEqualTo(t0);

        lastSeen.seen(id, "10.0.0.3", null, t0.plusSeconds(6));
        lastSeen.seen(id, "10.0.0.3", null, t0.plusSeconds(7));
        lastSeen.flush();
        row = agents.find(id, t0).orElseThrow();
        assertThat(row.lastSeenAt()).isEqualTo(t0.plusSeconds(7));
        assertThat(row.address()).isEqualTo("10.0.0.3");
        assertThat(row.version()).isEqualTo("1.1.0");
    }
}
