package io.opsbase.agents.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import io.opsbase.agents.AgentEvent;
import io.opsbase.protocol.signing.NonceStore;
import io.opsbase.protocol.signing.SignatureVerifier;

/**
 * Refuses a replayed agent request without a database round trip per request.
 *
 * <p><b>How.</b> Each node checks nonces against its own memory ({@link RecentNonces}, the exact
 * set of nonces whose request is still inside the signature window). Once a second
 * ({@link #synchronise}) it writes the nonces it accepted to {@code agent_nonces} in one batch and
 * reads the nonces the other nodes wrote since its last read into its memory.
 *
 * <p><b>Against replay.</b> A signed request is only valid while its timestamp is within
 * {@link SignatureVerifier#DEFAULT_WINDOW} of the server clock, so a nonce needs remembering only
 * until then; the request and its replay are the same signed bytes, so they carry the same nonce
 * and timestamp. Cases:
 * <ul>
 * <li>Replay to the same node, at any time in the window: refused (memory is exact).</li>
 * <li>Replay to another node: refused once that node has read the original's nonce, at most about
 * two seconds (this node's write, the other's read, one second apart each) after the original was
 * accepted. Inside those two seconds a replay to a <em>different</em> node may be accepted once;
 * when the second node then writes it, the duplicate key shows up here, is logged at ERROR and
 * audited as {@code agent.replay-detected}. Capturing a request needs access to the agent's
 * traffic (TLS in production) and gains the attacker a second copy of a request the agent sent
 * anyway (reports are idempotent by key). With one node (the default) there is no such gap.</li>
 * <li>Restart, clean or crash: the nonces written to the table are read back at start; the ones
 * accepted in the last second before a crash (not a clean stop, which writes them) were never
 * written, so this node also refuses every request signed before it started ({@link #startedAt}):
 * such a request was sent to the previous process or is a replay. The bound left: a request
 * accepted in the last second before a crash from an agent whose clock runs <em>ahead</em> (its
 * timestamp after the new start) can be replayed once to the restarted node while its timestamp
 * stays inside the window. The cost of the rule: an agent whose clock lags by L seconds has its
 * requests refused (401, which the agent retries with a fresh nonce) during the first L seconds
 * after a start.</li>
 * </ul>
 *
 * <p>Bounded memory: at most {@link #CAPACITY} nonces (about 100 MB); past that a request is
 * refused rather than a nonce forgotten (the {@link NonceStore} contract: "cannot prove it was not
 * seen"). 10,000 agents at one request every 5 s fill about 600,000 in the window.
 *
 * <p>Thread-safe. Rows older than twice the window are deleted every minute.
 */
@Component
class NonceLedger implements NonceStore, DisposableBean {

    static final long CAPACITY = 2_000_000;
    /** Slack on the read-back of other nodes' rows: a row may commit a little after its seen_at, and node clocks differ. */
    static final Duration READ_OVERLAP = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(NonceLedger.class);

    private record Accepted(long agentId, String nonce, Instant expiresAt) {
    }

    private final JdbcTemplate jdbc;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final Duration window = SignatureVerifier.DEFAULT_WINDOW;
    private final String node = UUID.randomUUID().toString();
    private final RecentNonces recent = new RecentNonces(CAPACITY);
    private final ConcurrentLinkedQueue<Accepted> unwritten = new ConcurrentLinkedQueue<>();
    private final Instant startedAt;
    private volatile boolean warnedFull;
    private Instant readSince;

    NonceLedger(JdbcTemplate jdbc, ApplicationEventPublisher events, Clock clock) {
        this.jdbc = jdbc;
        this.events = events;
        this.clock = clock;
        this.startedAt = clock.instant();
        this.readSince = startedAt.minus(window.multipliedBy(2));
        readOthers(true);
    }

    @Override
    public boolean firstUse(String agentId, String nonce, Instant requestTime) {
        if (requestTime.getEpochSecond() < startedAt.getEpochSecond()) {
            // Maybe accepted by this node's previous process in its last second, never written.
            // (The second of the start itself is after that process ended: a server starts in more than a second.)
            return false;
        }
        long agent = Long.parseLong(agentId);
        Instant expiresAt = requestTime.plus(window);
        return switch (recent.add(agent, nonce, expiresAt.getEpochSecond())) {
            case FIRST_USE -> {
                unwritten.add(new Accepted(agent, nonce, expiresAt));
                yield true;
            }
            case SEEN -> false;
            case FULL -> {
                if (!warnedFull) {
                    warnedFull = true;
                    log.warn("{} agent nonces are remembered, the most this node keeps; requests are refused until older ones expire",
                            CAPACITY);
                }
                yield false;
            }
        };
    }

    /** Writes this node's new nonces, reads the other nodes', forgets expired ones. Once a second. */
    @Scheduled(fixedDelayString = "PT1S")
    void synchronise() {
        write();
        readOthers(false);
        recent.forgetExpired(clock.instant().getEpochSecond());
        if (warnedFull && recent.size() < CAPACITY / 2) {
            warnedFull = false;
        }
    }

    @Scheduled(fixedDelayString = "PT1M")
    void deleteExpiredRows() {
        jdbc.update("delete from agent_nonces where seen_at < ?", Timestamp.from(clock.instant().minus(window.multipliedBy(2))));
    }

    long remembered() {
        return recent.size();
    }

    private void write() {
        List<Accepted> batch = new ArrayList<>();
        for (Accepted a; (a = unwritten.poll()) != null; ) {
            batch.add(a);
        }
        if (batch.isEmpty()) {
            return;
        }
        Timestamp now = Timestamp.from(clock.instant());
        String insert = """
                insert into agent_nonces (agent_id, nonce, seen_at, expires_at, node)
                select ?, ?, ?, ?, ? where not exists (select 1 from agent_nonces where agent_id = ? and nonce = ?)""";
        List<Object[]> rows = batch.stream().map(a -> new Object[] {a.agentId(), a.nonce(), now, Timestamp.from(a.expiresAt()), node,
                a.agentId(), a.nonce()}).toList();
        int[] counts;
        try {
            counts = jdbc.batchUpdate(insert, rows);
        } catch (DataIntegrityViolationException e) {
            // Another node inserted one of these keys at the same moment: write them one by one.
            counts = new int[rows.size()];
            for (int i = 0; i < rows.size(); i++) {
                try {
                    counts[i] = jdbc.update(insert, rows.get(i));
                } catch (DataIntegrityViolationException duplicate) {
                    counts[i] = 0;
                }
            }
        }
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == 0) {
                replayDetected(batch.get(i));
            }
        }
    }

    private void replayDetected(Accepted a) {
        log.error("Agent {} nonce {} was accepted by this node and by another one within the same seconds: a replayed request",
                a.agentId(), a.nonce());
        events.publishEvent(new AgentEvent("agent.replay-detected", "agent", Long.toString(a.agentId()),
                "nonce " + a.nonce() + " accepted on two server nodes", "system"));
    }

    /** Reads nonces written since the last read: at start all nodes' (this node's previous process too), later the others'. */
    private void readOthers(boolean all) {
        Instant readAt = clock.instant();
        long nowSecond = readAt.getEpochSecond();
        String sql = "select agent_id, nonce, expires_at from agent_nonces where seen_at >= ?"
                + (all ? "" : " and (node is null or node <> ?)");
        Object[] args = all ? new Object[] {Timestamp.from(readSince)} : new Object[] {Timestamp.from(readSince), node};
        jdbc.query(sql, rs -> {
            Timestamp expires = rs.getTimestamp(3);
            String nonce = rs.getString(2);
            // Rows written before V79 have no expires_at: the longest they can matter is twice the window.
            long expiresSecond = expires != null ? expires.toInstant().getEpochSecond() : nowSecond + 2 * window.toSeconds();
            if (expiresSecond >= nowSecond && nonce.length() == 32) {
                recent.add(rs.getLong(1), nonce, expiresSecond);
            }
        }, args);
        readSince = readAt.minus(READ_OVERLAP);
    }

    @Override
    public void destroy() {
        write();
    }
}
