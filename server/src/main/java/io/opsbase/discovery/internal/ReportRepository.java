package io.opsbase.discovery.internal;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import io.opsbase.protocol.ProtocolJson;
import io.opsbase.protocol.inventory.Inventory;

/** discovery_reports (latest report per agent) and discovery_report_keys (idempotency). */
@Repository
public class ReportRepository {

    private final JdbcClient jdbc;

    ReportRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public record StoredReport(long agentId, String idempotencyKey, String contentHash, Instant collectedAt,
            Instant receivedAt, Inventory inventory, String outcome) {
    }

    /**
     * Remembers the report's idempotency key; false when the agent sent this key before. One
     * statement: reports of one agent are serialised on its discovery_agents row, so the check and
     * the insert cannot race for the same key.
     */
    public boolean remember(long agentId, String idempotencyKey, Instant now) {
        return jdbc.sql("""
                insert into discovery_report_keys (agent_id, idempotency_key, received_at)
                select :a, :k, :now where not exists
                    (select 1 from discovery_report_keys where agent_id = :a and idempotency_key = :k)""")
                .param("a", agentId).param("k", idempotencyKey).param("now", Timestamp.from(now)).update() == 1;
    }

    /** Forgets keys older than {@code before}: an agent retries a report for hours, not weeks. */
    public int forgetKeys(Instant before) {
        return jdbc.sql("delete from discovery_report_keys where received_at < :before")
                .param("before", Timestamp.from(before)).update();
    }

    /**
     * Keeps the report as the agent's latest, with the outcome of its reconciliation. Written once,
     * after the reconciliation, in the same transaction (before, it was stored as "received" and
     * updated with its outcome: two writes of the whole inventory's row per report).
     */
    public void store(long agentId, String idempotencyKey, String contentHash, Instant collectedAt, Instant now,
            Inventory inventory, String outcome) {
        String json = ProtocolJson.mapper().writeValueAsString(inventory);
        Timestamp collected = collectedAt == null ? null : Timestamp.from(collectedAt);
        int updated = jdbc.sql("""
                update discovery_reports set idempotency_key = :k, content_hash = :h, collected_at = :c,
                    received_at = :now, inventory = :inv, outcome = :o where agent_id = :a""")
                .param("k", idempotencyKey).param("h", contentHash).param("c", collected).param("now", Timestamp.from(now))
                .param("inv", json).param("o", outcome).param("a", agentId).update();
        if (updated == 0) {
            jdbc.sql("""
                    insert into discovery_reports (agent_id, idempotency_key, content_hash, collected_at, received_at,
                        inventory, outcome) values (:a, :k, :h, :c, :now, :inv, :o)""")
                    .param("k", idempotencyKey).param("h", contentHash).param("c", collected)
                    .param("now", Timestamp.from(now)).param("inv", json).param("o", outcome).param("a", agentId).update();
        }
    }

    public Optional<StoredReport> latest(long agentId) {
        return jdbc.sql("select * from discovery_reports where agent_id = :a").param("a", agentId)
                .query((rs, n) -> {
                    Timestamp collected = rs.getTimestamp("collected_at");
                    return new StoredReport(rs.getLong("agent_id"), rs.getString("idempotency_key"),
                            rs.getString("content_hash"), collected == null ? null : collected.toInstant(),
                            rs.getTimestamp("received_at").toInstant(),
                            ProtocolJson.mapper().readValue(rs.getString("inventory"), Inventory.class),
                            rs.getString("outcome"));
                }).optional();
    }
}
