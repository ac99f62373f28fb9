package io.opsbase.audit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;

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
}
