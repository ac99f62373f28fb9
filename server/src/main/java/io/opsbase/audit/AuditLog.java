package io.opsbase.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import io.opsbase.platform.Page;
import io.opsbase.platform.RequestIds;

/**
 * The append-only, hash-chained audit log. Each record's hash is SHA-256 over the previous hash
 * and the record's own fields; {@link #verify()} recomputes the chain and finds the first record
 * that was edited, inserted or whose predecessor was deleted.
 *
 * <p>Thread-safety: an append joins the caller's transaction, so a rolled-back change leaves no
 * record, but it takes no shared lock there: the record waits in audit_pending and is chained
 * after the commit by {@link AuditChain}, which serialises on the chain-head row lock (safe
 * across several server nodes sharing one PostgreSQL) for one short transaction only.
 */
@Service
public class AuditLog {

    private static final HexFormat HEX = HexFormat.of();

    private final JdbcClient jdbc;
    private final AuditChain chain;
    private final Clock clock;

    AuditLog(JdbcClient jdbc, AuditChain chain, Clock clock) {
        this.jdbc = jdbc;
        this.chain = chain;
        this.clock = clock;
    }

    /**
     * Appends one record for {@code event}, in the caller's transaction or a new one: the record is
     * staged with the caller's change and joins the chain (its id and hash) right after the commit,
     * see {@link AuditChain}.
     */
    @Transactional(propagation = Propagation.REQUIRED)
    public void append(Auditable event) {
        String actor = event.auditActor() != null ? event.auditActor() : currentActor();
        Instant at = clock.instant().truncatedTo(ChronoUnit.MICROS);
        chain.stage(new AuditRecord(0, at, actor, event.auditAction(), event.auditTargetType(), event.auditTargetId(),
                truncate(event.auditSummary(), 4000), RequestIds.current(), sourceIp(), null, null));
    }

    /** Newest first; {@code next} is the cursor for older records. */
    @Transactional(readOnly = true)
    public Page<AuditRecord> list(AuditQuery q) {
        chain.flush();
        StringBuilder sql = new StringBuilder("select * from audit_records where 1 = 1");
        var params = new java.util.LinkedHashMap<String, Object>();
        if (q.actor() != null) { sql.append(" and actor = :actor"); params.put("actor", q.actor()); }
        if (q.action() != null) { sql.append(" and action like :action"); params.put("action", q.action().replace("*", "%")); }
        if (q.targetType() != null) { sql.append(" and target_type = :tt"); params.put("tt", q.targetType()); }
        if (q.targetId() != null) { sql.append(" and target_id = :tid"); params.put("tid", q.targetId()); }
        if (q.requestId() != null) { sql.append(" and request_id = :rid"); params.put("rid", q.requestId()); }
        if (q.from() != null) { sql.append(" and occurred_at >= :from"); params.put("from", java.sql.Timestamp.from(q.from())); }
        if (q.to() != null) { sql.append(" and occurred_at < :to"); params.put("to", java.sql.Timestamp.from(q.to())); }
        if (q.before() != null) { sql.append(" and id < :before"); params.put("before", q.before()); }
        sql.append(" order by id desc limit ").append(q.limit() + 1);
        List<AuditRecord> rows = new ArrayList<>(jdbc.sql(sql.toString()).params(params).query(AuditLog::map).list());
        String next = null;
        if (rows.size() > q.limit()) {
            rows = rows.subList(0, q.limit());
            next = Long.toString(rows.getLast().id());
        }
        return new Page<>(List.copyOf(rows), next, null);
    }

    /**
     * Walks the chain in id order, streaming, and reports the first record that does not hold.
     * Reads the head first and walks only up to it, so records chained meanwhile do not look like
     * a broken head.
     */
    @Transactional(readOnly = true)
    public AuditVerification verify() {
        chain.flush();
        var head = jdbc.sql("select last_id, last_hash from audit_chain_head where singleton = 1")
                .query((rs, n) -> new Object[] {rs.getLong(1), rs.getString(2)}).single();
        long[] count = {0};
        long[] expectedId = {1};
        String[] prev = {"0".repeat(64)};
        Long[] broken = {null};
        jdbc.sql("select * from audit_records where id <= :last order by id").param("last", head[0]).query(rs -> {
            AuditRecord r = map(rs, 0);
            count[0]++;
            if (broken[0] == null && (r.id() != expectedId[0] || !r.prevHash().equals(prev[0])
                    || !MessageDigest.isEqual(hash(r).getBytes(StandardCharsets.US_ASCII),
                            r.hash().getBytes(StandardCharsets.US_ASCII)))) {
                broken[0] = r.id();
            }
            expectedId[0] = r.id() + 1;
            prev[0] = r.hash();
        });
        if (broken[0] == null) {
            // A deleted tail leaves the head pointing past the last row.
            if ((long) head[0] != expectedId[0] - 1 || !head[1].equals(prev[0])) {
                broken[0] = expectedId[0];
            }
        }
        if (broken[0] == null) {
            // A row added past the head; records chained during the walk are within the head as read now.
            long lastNow = jdbc.sql("select last_id from audit_chain_head where singleton = 1").query(Long.class).single();
            jdbc.sql("select id from audit_records where id > :last order by id limit 1").param("last", lastNow)
                    .query(Long.class).list().stream().findFirst().ifPresent(id -> broken[0] = id);
        }
        return new AuditVerification(broken[0] == null, count[0], broken[0]);
    }

    static String hash(AuditRecord r) {
        String canonical = String.join("\u001f", r.prevHash(), Long.toString(r.id()),
                Long.toString(r.occurredAt().getEpochSecond()), Integer.toString(r.occurredAt().getNano()),
                nz(r.actor()), nz(r.action()), nz(r.targetType()), nz(r.targetId()), nz(r.summary()),
                nz(r.requestId()), nz(r.sourceIp()));
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HEX.formatHex(sha.digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static AuditRecord map(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        return new AuditRecord(rs.getLong("id"), rs.getTimestamp("occurred_at").toInstant(), rs.getString("actor"),
                rs.getString("action"), rs.getString("target_type"), rs.getString("target_id"),
                rs.getString("summary"), rs.getString("request_id"), rs.getString("source_ip"),
                rs.getString("prev_hash"), rs.getString("hash"));
    }

    private static String currentActor() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        return auth != null && auth.isAuthenticated() && auth.getName() != null ? auth.getName() : "system";
    }

    private static String sourceIp() {
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attrs) {
            return attrs.getRequest().getRemoteAddr();
        }
        return null;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
