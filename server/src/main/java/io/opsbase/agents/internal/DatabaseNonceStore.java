package io.opsbase.agents.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import io.opsbase.protocol.signing.NonceStore;
import io.opsbase.protocol.signing.SignatureVerifier;

/**
 * Nonces of accepted agent requests, in the database so a replay sent to another server node is
 * refused too: the primary key (agent, nonce) makes the second insert fail. Rows older than twice
 * the signature window are deleted every minute (a request that old is refused by its timestamp).
 */
@Component
class DatabaseNonceStore implements NonceStore {

    private final JdbcClient jdbc;
    private final Clock clock;

    DatabaseNonceStore(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Override
    public boolean firstUse(String agentId, String nonce, Instant requestTime) {
        try {
            jdbc.sql("insert into agent_nonces (agent_id, nonce, seen_at) values (:a, :n, :t)")
                    .param("a", Long.parseLong(agentId)).param("n", nonce).param("t", Timestamp.from(clock.instant()))
                    .update();
            return true;
        } catch (DuplicateKeyException e) {
            return false;
        }
    }

    @Scheduled(fixedDelayString = "PT1M")
    void forgetExpired() {
        jdbc.sql("delete from agent_nonces where seen_at < :cutoff")
                .param("cutoff", Timestamp.from(clock.instant().minus(SignatureVerifier.DEFAULT_WINDOW.multipliedBy(2))))
                .update();
    }
}
