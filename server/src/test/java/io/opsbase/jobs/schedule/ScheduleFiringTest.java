package io.opsbase.jobs.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Import;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.opsbase.audit.AuditLog;
import io.opsbase.audit.AuditQuery;
import io.opsbase.audit.AuditRecord;
import io.opsbase.testing.MutableClock;
import io.opsbase.testing.TestUsers;

/**
 * The firer on the real database (H2, or PostgreSQL with {@code -Dopsbase.test.db=postgres}) with an injected clock:
 * due schedules start one run each, misfires follow their policy, a missing or failing launcher is recorded on the
 * schedule, and a row another node holds is skipped.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "opsbase.jobs.schedule-poll=PT1H")
@Import({TestUsers.class, ScheduleTestConfiguration.class})
class ScheduleFiringTest {

    @Autowired
    JobScheduleCatalog catalog;

    @Autowired
    ScheduleFirer firer;

    @Autowired
    JobScheduleRepository repository;

    @Autowired
    ScheduleTestConfiguration.RecordingLauncher launcher;

    @Autowired
    MutableClock clock;

    @Autowired
    AuditLog audit;

    @Autowired
    ApplicationEventPublisher events;

    @Autowired
    PlatformTransactionManager transactions;

    /** A daily schedule whose next fire is at 03:00 UTC after the clock's now. */
    JobSchedule daily(long templateId, String misfire) {
        return catalog.create(new JobScheduleInput("nightly-" + UUID.randomUUID(), templateId, "0 0 3 * * *", "UTC",
                Map.of("env", "staging"), misfire, true));
    }

    void moveTo(Instant t) {
        clock.advance(Duration.between(clock.instant(), t));
    }

    @Test
    void firesADueScheduleOnceWithTheInjectedClock() {
        JobSchedule s = daily(7, "skip");
        Instant due = s.nextFireAt();
        assertThat(due).isAfter(clock.instant());

        firer.fireDue();
        assertThat(launcher.of(s.name())).isEmpty();

        moveTo(due.plusSeconds(5));
        firer.fireDue();
        firer.fireDue();

        assertThat(launcher.of(s.name())).singleElement().satisfies(l -> {
            assertThat(l.templateId()).isEqualTo(7);
            assertThat(l.parameters()).containsEntry("env", "staging");
        });
        JobSchedule after = catalog.get(s.id());
        assertThat(after.lastOutcome()).isEqualTo("launched");
        assertThat(after.lastRunId()).isEqualTo(launcher.of(s.name()).getFirst().runId());
        assertThat(after.lastFireAt()).isEqualTo(due.plusSeconds(5));
        assertThat(after.nextFireAt()).isEqualTo(due.plus(Duration.ofDays(1)));
        assertThat(audit.list(new AuditQuery(null, "job-schedule.launched", "job-schedule", Long.toString(s.id()), null,
                null, null, null, 10)).items()).extracting(AuditRecord::actor).containsExactly("scheduler");
    }

    @Test
    void aMissedFireIsSkippedUnderTheSkipPolicy() {
        JobSchedule s = daily(8, "skip");
        moveTo(s.nextFireAt().plus(Duration.ofDays(3)).plusSeconds(3600));

        firer.fireDue();

        assertThat(launcher.of(s.name())).isEmpty();
        JobSchedule after = catalog.get(s.id());
        assertThat(after.lastOutcome()).isEqualTo("skipped");
        assertThat(after.lastError()).contains("missed the fire time " + s.nextFireAt());
        assertThat(after.nextFireAt()).isAfter(clock.instant()).isBefore(clock.instant().plus(Duration.ofDays(1)));
    }

    @Test
    void missedFiresStartOneRunUnderTheRunOncePolicy() {
        JobSchedule s = daily(9, "run_once");
        moveTo(s.nextFireAt().plus(Duration.ofDays(3)).plusSeconds(3600));

        firer.fireDue();
        firer.fireDue();

        assertThat(launcher.of(s.name())).hasSize(1);
        assertThat(catalog.get(s.id()).lastOutcome()).isEqualTo("launched");
    }

    @Test
    void aDisabledScheduleDoesNotFireAndReenablingSkipsWhatItMissed() {
        JobSchedule s = daily(10, "run_once");
        catalog.setEnabled(s.id(), false);
        moveTo(s.nextFireAt().plusSeconds(10));
        firer.fireDue();
        assertThat(launcher.of(s.name())).isEmpty();

        JobSchedule enabled = catalog.setEnabled(s.id(), true);
        assertThat(enabled.nextFireAt()).isAfter(clock.instant());
        firer.fireDue();
        assertThat(launcher.of(s.name())).isEmpty();
    }

    @Test
    void recordsANoLauncherFailureOnTheScheduleInsteadOfCrashing() {
        JobSchedule s = daily(11, "skip");
        var none = new StaticListableBeanFactory().getBeanProvider(ScheduledRunLauncher.class);
        ScheduleFirer withoutLauncher = new ScheduleFirer(repository, none, events, clock, transactions);
        moveTo(s.nextFireAt().plusSeconds(1));

        withoutLauncher.fireDue();

        JobSchedule after = catalog.get(s.id());
        assertThat(after.lastOutcome()).isEqualTo("failed");
        assertThat(after.lastError()).isEqualTo(ScheduleFirer.NO_LAUNCHER).contains("no ScheduledRunLauncher");
        assertThat(after.nextFireAt()).isAfter(clock.instant());
    }

    @Test
    void aFailingLauncherIsRecordedAndTheScheduleMovesOn() {
        launcher.failing.add(12L);
        JobSchedule s = daily(12, "skip");
        moveTo(s.nextFireAt().plusSeconds(1));

        firer.fireDue();

        JobSchedule after = catalog.get(s.id());
        assertThat(after.lastOutcome()).isEqualTo("failed");
        assertThat(after.lastError()).contains("template 12 has no targets");
        assertThat(after.nextFireAt()).isAfter(clock.instant());
        assertThat(audit.list(new AuditQuery(null, "job-schedule.failed", "job-schedule", Long.toString(s.id()), null,
                null, null, null, 10)).items()).hasSize(1);
    }

    @Test
    void aScheduleLockedByAnotherNodeIsSkipped() throws Exception {
        JobSchedule s = daily(13, "skip");
        moveTo(s.nextFireAt().plusSeconds(1));
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // "Another node": a transaction on another thread holds the row lock as a firer mid-fire would.
        CompletableFuture<Void> otherNode = CompletableFuture.runAsync(() -> new TransactionTemplate(transactions).executeWithoutResult(st -> {
            assertThat(repository.claimDue(clock.instant(), 1000)).extracting(JobSchedule::id).contains(s.id());
            locked.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        assertThat(locked.await(30, TimeUnit.SECONDS)).isTrue();

        firer.fireDue();
        release.countDown();
        otherNode.get(30, TimeUnit.SECONDS);

        assertThat(launcher.of(s.name())).isEmpty();
        assertThat(catalog.get(s.id()).lastOutcome()).isNull();
        firer.fireDue();
        assertThat(launcher.of(s.name())).hasSize(1);
    }
}
