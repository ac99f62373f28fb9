package io.opsbase.agents.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import io.opsbase.platform.SecretCipher;
import io.opsbase.protocol.signing.AgentCredential;
import io.opsbase.protocol.signing.AgentCredentials;

/**
 * Agents' decrypted HMAC secrets and revocation flags, so a signed request costs no database
 * read and no decryption. An entry is dropped:
 * <ul>
 * <li>at once on this node when the agent is revoked or its secret replaced here
 * ({@link #invalidate}, called after the change commits);</li>
 * <li>within {@link #POLL} on every node: each node reads the ids whose
 * {@code agents.credentials_changed_at} moved since its last look (with some overlap for commit
 * delays and clock differences);</li>
 * <li>at the latest {@link #TTL} after it was loaded, should a change bypass both.</li>
 * </ul>
 * Unknown agent ids are not cached (each costs a lookup, as before). Thread-safe.
 */
@Component
public class AgentCredentialCache implements AgentCredentials {

    static final Duration POLL = Duration.ofSeconds(2);
    static final Duration TTL = Duration.ofMinutes(10);
    private static final Duration OVERLAP = Duration.ofSeconds(5);

    private record Entry(AgentCredential credential, Instant loadedAt) {
    }

    private final AgentRepository agents;
    private final SecretCipher cipher;
    private final JdbcClient jdbc;
    private final Clock clock;
    private final ConcurrentHashMap<Long, Entry> entries = new ConcurrentHashMap<>();
    /** Counts invalidations, so a load that raced with one is not cached (it may hold the old credentials). */
    private final AtomicLong invalidations = new AtomicLong();
    private Instant changedSince;

    AgentCredentialCache(AgentRepository agents, SecretCipher cipher, JdbcClient jdbc, Clock clock) {
        this.agents = agents;
        this.cipher = cipher;
        this.jdbc = jdbc;
        this.clock = clock;
        this.changedSince = clock.instant().minus(OVERLAP);
    }

    @Override
    public Optional<AgentCredential> find(String agentId) {
        long id;
        try {
            id = Long.parseLong(agentId);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Entry entry = entries.get(id);
        if (entry != null && entry.loadedAt().plus(TTL).isAfter(now)) {
            return Optional.of(entry.credential());
        }
        long before = invalidations.get();
        Optional<AgentCredential> loaded = agents.credentials(id).map(c -> new AgentCredential(
                Base64.getDecoder().decode(cipher.decrypt(c.sealedSecret())), c.revoked()));
        loaded.ifPresent(c -> {
            entries.put(id, new Entry(c, now));
            if (invalidations.get() != before) {
                entries.remove(id);
            }
        });
        return loaded;
    }

    /** Forgets the agent's entry; the next request reads its credentials from the database. */
    public void invalidate(long agentId) {
        invalidations.incrementAndGet();
        entries.remove(agentId);
    }

    /** Drops the entries of agents whose credentials changed, on any node, since the last poll. */
    @Scheduled(fixedDelayString = "PT2S")
    void dropChanged() {
        Instant now = clock.instant();
        jdbc.sql("select id from agents where credentials_changed_at >= :since")
                .param("since", Timestamp.from(changedSince))
                .query(Long.class).list().forEach(this::invalidate);
        changedSince = now.minus(OVERLAP);
    }

    int size() {
        return entries.size();
    }
}
