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

    public boolean seen(long agentId, String idempotencyKey) {
        return jdbc.sql("select count(*) from discovery_report_keys where agent_id = :a and idempotency_key = :k")
                .param("a", agentId).param("k", idempotencyKey).query(Long.class).single() > 0;
    }

    public void remember(long agentId, String idempotencyKey, Instant now) {
        jdbc.sql("insert into discovery_report_keys (agent_id, idempotency_key, received_at) values (:a, :k, :now)")
                .param("a", agentId).param("k", idempotencyKey).param("now", Timestamp.from(now)).update();
    }

    /** Forgets keys older than {@code before}: an agent retries a report for hours, not weeks. */
    public int forgetKeys(Instant before) {
        return jdbc.sql("delete from discovery_report_keys where received_at < :before")
                .param("before", Timestamp.from(before)).update();
    }

    public void store(long agentId, String idempotencyKey, String contentHash, Instant collectedAt, Instant now,
            Inventory inventory) {
        String json = ProtocolJson.mapper().writeValueAsString(inventory);
        Timestamp collected = collectedAt == null ? null : Timestamp.from(collectedAt);
        int updated = jdbc.sql("""
                update discovery_reports set idempotency_key = :k, content_hash = :h, collected_at = :c,
                    received_at = :now, inventory = :inv, outcome = 'received' where agent_id = :a""")
                .param("k", idempotencyKey).param("h", contentHash).param("c", collected).param("now", Timestamp.from(now))
                .param("inv", json).param("a", agentId).update();
        if (updated == 0) {
            jdbc.sql("""
                    insert into discovery_reports (agent_id, idempotency_key, content_hash, collected_at, received_at,
                        inventory, outcome) values (:a, :k, :h, :c, :now, :inv, 'received')""")
                    .param("k", idempotencyKey).param("h", contentHash).param("c", collected)
                    .param("now", Timestamp.from(now)).param("inv", json).param("a", agentId).update();
        }
    }

    public void outcome(long agentId, String outcome) {
        jdbc.sql("update discovery_reports set outcome = :o where agent_id = :a").param("o", outcome).param("a", agentId).update();
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
