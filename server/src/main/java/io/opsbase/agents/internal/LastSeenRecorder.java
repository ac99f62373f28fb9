package io.opsbase.agents.internal;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * When, from where and with which version each agent was last seen, written in batches: a signed
 * request only notes it in memory; every {@link #FLUSH_EVERY} the notes go to {@code agents} in one
 * batched statement. An agent is written again only when {@link #REWRITE_AFTER} has passed since
 * its last write or its address or version changed, so 10,000 agents polling every 30 s cost
 * about 700 row updates a second in a handful of statements instead of one statement per request.
 * The registry's online window (90 s) is far longer than the delay. Pending notes are written on
 * shutdown. Thread-safe.
 */
@Component
public class LastSeenRecorder implements DisposableBean {

    static final Duration FLUSH_EVERY = Duration.ofSeconds(5);
    static final Duration REWRITE_AFTER = Duration.ofSeconds(15);

    private record Seen(String address, String version, Instant at) {
    }

    private final JdbcTemplate jdbc;
    private final ConcurrentHashMap<Long, Seen> pending = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, Seen> written = new ConcurrentHashMap<>();

    LastSeenRecorder(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Notes a request of the agent; {@code version} may be null (not told). */
    public void seen(long agentId, String address, String version, Instant now) {
        Seen last = written.get(agentId);
        if (last != null && last.at().plus(REWRITE_AFTER).isAfter(now) && Objects.equals(last.address(), address)
                && (version == null || version.equals(last.version()))) {
            return;
        }
        pending.put(agentId, new Seen(address, version, now));
    }

    /** Writes the pending notes in one batch. */
    @Scheduled(fixedDelayString = "PT5S")
    public void flush() {
        List<Object[]> rows = new ArrayList<>();
        List<Long> ids = new ArrayList<>();
        List<Seen> seen = new ArrayList<>();
        for (Long id : pending.keySet()) {
            Seen s = pending.remove(id);
            if (s != null) {
                rows.add(new Object[] {Timestamp.from(s.at()), s.address(), s.version(), id, Timestamp.from(s.at())});
                ids.add(id);
                seen.add(s);
            }
        }
        if (rows.isEmpty()) {
            return;
        }
        // The last condition keeps a newer time written by another node.
        jdbc.batchUpdate("""
                update agents set last_seen_at = ?, address = ?, version = coalesce(?, version)
                where id = ? and (last_seen_at is null or last_seen_at <= ?)""", rows);
        for (int i = 0; i < ids.size(); i++) {
            Seen s = seen.get(i);
            written.merge(ids.get(i), s, (old, now) -> now.at().isAfter(old.at()) ? new Seen(now.address(),
                    now.version() != null ? now.version() : old.version(), now.at()) : old);
        }
    }

    @Override
    public void destroy() {
        flush();
    }
}
