package io.opsbase.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs on H2 by default and on PostgreSQL with -Dopsbase.test.db=postgres. Each test tampers with
 * the chain, so each gets a fresh context and database.
 */
@SpringBootTest
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_EACH_TEST_METHOD)
class AuditLogTest {

    @Autowired
    AuditLog auditLog;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate tx;

    record Event(String auditAction, String auditTargetType, String auditTargetId, String auditSummary)
            implements Auditable {
    }

    @Test
    void verifiesAnIntactChainAndFindsAnEditedRecord() {
        for (int i = 0; i < 5; i++) {
            auditLog.append(new Event("thing.changed", "thing", "t" + i, "summary " + i));
        }
        assertThat(auditLog.verify().valid()).isTrue();
        long victim = auditLog.list(AuditQuery.latest(3)).items().get(1).id();

        jdbc.sql("update audit_records set summary = 'forged' where id = :id").param("id", victim).update();

        AuditVerification v = auditLog.verify();
        assertThat(v.valid()).isFalse();
        assertThat(v.firstBrokenId()).isEqualTo(victim);
    }

    @Test
    void findsADeletedRecord() {
        for (int i = 0; i < 4; i++) {
            auditLog.append(new Event("thing.changed", "thing", "d" + i, "summary " + i));
        }
        long victim = auditLog.list(AuditQuery.latest(2)).items().get(1).id();
        jdbc.sql("delete from audit_records where id = :id").param("id", victim).update();

        assertThat(auditLog.verify().firstBrokenId()).isEqualTo(victim + 1);
    }

    @Test
    void findsADeletedTail() {
        auditLog.append(new Event("thing.changed", "thing", "x", "last"));
        long last = auditLog.list(AuditQuery.latest(1)).items().getFirst().id();
        jdbc.sql("delete from audit_records where id = :id").param("id", last).update();

        AuditVerification v = auditLog.verify();
        assertThat(v.valid()).isFalse();
        assertThat(v.firstBrokenId()).isEqualTo(last);
    }

    @Test
    void chainsEveryRecordOfConcurrentWritersWithoutGapsOrForks() throws Exception {
        List<Callable<Void>> writers = new ArrayList<>();
        for (int w = 0; w < 8; w++) {
            int writer = w;
            writers.add(() -> {
                for (int i = 0; i < 25; i++) {
                    int n = i;
                    // Two records per transaction, as a CI change with a discovery event writes.
                    tx.executeWithoutResult(s -> {
                        auditLog.append(new Event("thing.changed", "thing", writer + "-" + n, "first"));
                        auditLog.append(new Event("thing.changed", "thing", writer + "-" + n, "second"));
                    });
                }
                return null;
            });
        }
        try (var pool = Executors.newFixedThreadPool(8)) {
            for (Future<Void> f : pool.invokeAll(writers)) {
                f.get();
            }
        }

        AuditVerification v = auditLog.verify();
        assertThat(v.valid()).isTrue();
        assertThat(jdbc.sql("select count(*) from audit_records where target_type = 'thing'").query(Long.class).single())
                .isEqualTo(400);
        assertThat(jdbc.sql("select count(*) from audit_pending").query(Long.class).single()).isZero();
    }

    @Test
    void leavesNoRecordWhenTheWritersTransactionRollsBack() {
        tx.executeWithoutResult(s -> {
            auditLog.append(new Event("thing.changed", "thing", "rolled-back", "never happened"));
            s.setRollbackOnly();
        });

        assertThat(auditLog.list(new AuditQuery(null, null, "thing", "rolled-back", null, null, null, null, 10)).items()).isEmpty();
        assertThat(jdbc.sql("select count(*) from audit_pending").query(Long.class).single()).isZero();
    }

    @Test
    void chainsARecordLeftPendingByAServerThatStoppedBeforeChainingIt() {
        // A committed record the chainer never reached, as a crash between commit and chaining leaves it.
        jdbc.sql("""
                insert into audit_pending (occurred_at, actor, action, target_type, target_id, summary)
                values (current_timestamp, 'system', 'thing.changed', 'thing', 'left-behind', 'committed before the crash')""")
                .update();

        var found = auditLog.list(new AuditQuery(null, null, "thing", "left-behind", null, null, null, null, 10)).items();
        assertThat(found).singleElement().satisfies(r -> assertThat(r.summary()).isEqualTo("committed before the crash"));
        assertThat(auditLog.verify().valid()).isTrue();
    }
}
