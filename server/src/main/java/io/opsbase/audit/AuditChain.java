package io.opsbase.audit;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Moves audit records from audit_pending into the hash chain (audit_records).
 *
 * <p>Why two steps: the chain gives every record the next id and the previous record's hash, so
 * appends must take turns on the chain head. When the business transaction did that itself, it
 * held the head's row lock from its first audited write until its commit, and every audited write
 * on the server (each CI change, each inventory report) waited for the others' whole
 * transactions. Now the business transaction only inserts its record into audit_pending — in the
 * same transaction, so a rolled-back change leaves no record and a committed one cannot be lost —
 * and after its commit the chainer locks the head for one short transaction that chains every
 * pending record at once (a batch insert, a delete, a head update): the turns are as short as the
 * chaining, and under load one turn chains many writers' records.
 *
 * <p>Nothing acknowledged is lost: a record is committed in audit_pending before the writer's
 * caller is answered, and the chainer moves it (insert into the chain + delete from pending) in
 * one transaction. Records left pending by a crash or a failed chaining are chained by the sweep
 * (every second, and at start-up). Reads of the log ({@link AuditLog#list}, {@link AuditLog#verify})
 * chain what is pending first, so a writer reads its own record.
 *
 * <p>Thread-safety: one chaining at a time per node (a local lock, so waiting writers do not each
 * hold a second connection: a writer that finds the chainer busy leaves its record to the running
 * chaining, which loops until nothing it was asked for is left); across nodes sharing one
 * PostgreSQL, the chain head's row lock orders them, and each re-reads the pending rows under it.
 */
@Component
class AuditChain {

    private static final Logger log = LoggerFactory.getLogger(AuditChain.class);
    private static final int BATCH = 500;
    private static final Object SYNCHRONIZATION_KEY = new Object();

    private final JdbcClient jdbc;
    private final NamedParameterJdbcTemplate batch;
    private final TransactionTemplate ownTransaction;
    private final ReentrantLock chaining = new ReentrantLock();
    private final AtomicBoolean requested = new AtomicBoolean();

    AuditChain(JdbcClient jdbc, NamedParameterJdbcTemplate batch, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.batch = batch;
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /** Stages one record in the caller's transaction; it is chained after that transaction commits. */
    void stage(AuditRecord r) {
        jdbc.sql("""
                insert into audit_pending (occurred_at, actor, action, target_type, target_id, summary, request_id, source_ip)
                values (:at, :actor, :action, :targetType, :targetId, :summary, :requestId, :sourceIp)""")
                .param("at", Timestamp.from(r.occurredAt())).param("actor", r.actor()).param("action", r.action())
                .param("targetType", r.targetType()).param("targetId", r.targetId()).param("summary", r.summary())
                .param("requestId", r.requestId()).param("sourceIp", r.sourceIp())
                .update();
        if (TransactionSynchronizationManager.isSynchronizationActive()
                && !TransactionSynchronizationManager.hasResource(SYNCHRONIZATION_KEY)) {
            // Once per transaction, however many records it stages.
            TransactionSynchronizationManager.bindResource(SYNCHRONIZATION_KEY, Boolean.TRUE);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(SYNCHRONIZATION_KEY);
                    if (status == STATUS_COMMITTED) {
                        request();
                    }
                }
            });
        }
    }

    /**
     * Chains everything pending, unless this node's chainer is already running — then that run
     * picks the new records up before it stops. Never throws: the records are safe in
     * audit_pending, and the sweep retries.
     */
    void request() {
        requested.set(true);
        do {
            if (!chaining.tryLock()) {
                return;
            }
            try {
                while (requested.getAndSet(false)) {
                    chainPending();
                }
            } catch (RuntimeException e) {
                log.error("Chaining pending audit records failed; they stay pending and the sweep retries", e);
                return;
            } finally {
                chaining.unlock();
            }
            // A writer may have asked after the loop's last check and found the lock still held.
        } while (requested.get());
    }

    /** Chains everything pending now, waiting for a running chaining: for readers of the log. */
    void flush() {
        chaining.lock();
        try {
            chainPending();
        } finally {
            chaining.unlock();
        }
    }

    @Scheduled(initialDelay = 0, fixedDelayString = "PT1S")
    void sweep() {
        request();
    }

    private void chainPending() {
        while (Boolean.TRUE.equals(ownTransaction.execute(s -> chainBatch()))) {
            // next batch
        }
    }

    /** One short transaction under the chain head's lock; true when more may be pending. */
    private boolean chainBatch() {
        var head = jdbc.sql("select last_id, last_hash from audit_chain_head where singleton = 1 for update")
                .query((rs, n) -> new Object[] {rs.getLong(1), rs.getString(2)}).single();
        List<Object[]> pending = jdbc.sql("select * from audit_pending order by seq limit " + BATCH)
                .query((rs, n) -> new Object[] {rs.getLong("seq"), new AuditRecord(0, rs.getTimestamp("occurred_at").toInstant(),
                        rs.getString("actor"), rs.getString("action"), rs.getString("target_type"), rs.getString("target_id"),
                        rs.getString("summary"), rs.getString("request_id"), rs.getString("source_ip"), null, null)})
                .list();
        if (pending.isEmpty()) {
            return false;
        }
        long id = (long) head[0];
        String prevHash = (String) head[1];
        List<SqlParameterSource> rows = new ArrayList<>(pending.size());
        List<Long> seqs = new ArrayList<>(pending.size());
        for (Object[] p : pending) {
            AuditRecord r = (AuditRecord) p[1];
            id++;
            AuditRecord chained = new AuditRecord(id, r.occurredAt(), r.actor(), r.action(), r.targetType(), r.targetId(),
                    r.summary(), r.requestId(), r.sourceIp(), prevHash, null);
            String hash = AuditLog.hash(chained);
            rows.add(new MapSqlParameterSource().addValue("id", id).addValue("at", Timestamp.from(r.occurredAt()))
                    .addValue("actor", r.actor()).addValue("action", r.action()).addValue("targetType", r.targetType())
                    .addValue("targetId", r.targetId()).addValue("summary", r.summary())
                    .addValue("requestId", r.requestId()).addValue("sourceIp", r.sourceIp())
                    .addValue("prevHash", prevHash).addValue("hash", hash));
            seqs.add((Long) p[0]);
            prevHash = hash;
        }
        batch.batchUpdate("""
                insert into audit_records (id, occurred_at, actor, action, target_type, target_id, summary,
                    request_id, source_ip, prev_hash, hash)
                values (:id, :at, :actor, :action, :targetType, :targetId, :summary, :requestId, :sourceIp,
                    :prevHash, :hash)""", rows.toArray(SqlParameterSource[]::new));
        // By seq, never by range: a record staged earlier may commit later and must not be deleted unchained.
        jdbc.sql("delete from audit_pending where seq in (:seqs)").param("seqs", seqs).update();
        jdbc.sql("update audit_chain_head set last_id = :id, last_hash = :hash where singleton = 1")
                .param("id", id).param("hash", prevHash).update();
        return pending.size() == BATCH;
    }
}
