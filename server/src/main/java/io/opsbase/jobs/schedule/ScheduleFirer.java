package io.opsbase.jobs.schedule;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Fires due schedules. Every node polls; each poll claims due rows with {@code for update skip locked}, launches,
 * records the outcome and the next fire time, and commits — so on a cluster each fire time starts at most one run,
 * and the run (when the launcher writes it in the same database) exists exactly when the schedule moved on.
 *
 * <p>A fire more than {@link #MISFIRE_THRESHOLD} late (the server was down, or the poll lagged that much) is a
 * misfire: {@link MisfirePolicy#SKIP} records it and runs nothing, {@link MisfirePolicy#RUN_ONCE} starts one run
 * however many fire times were missed. Either way the next fire time is the first one after now.
 *
 * <p>The launcher is optional ({@code ObjectProvider}): without one a fire is recorded as failed with a message
 * saying so instead of crashing the poll. A launcher that throws has its work rolled back to a savepoint and the
 * fire is recorded as failed; the schedule still moves on. Time comes from the injected {@link Clock}.
 */
@Component
public class ScheduleFirer {

    public static final Duration MISFIRE_THRESHOLD = Duration.ofMinutes(1);
    static final String NO_LAUNCHER = "no ScheduledRunLauncher is installed: the jobs feature that starts runs of "
            + "templates is missing from this server, so nothing was started";
    private static final int BATCH = 20;
    private static final Logger log = LoggerFactory.getLogger(ScheduleFirer.class);

    private final JobScheduleRepository schedules;
    private final ObjectProvider<ScheduledRunLauncher> launchers;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final TransactionTemplate claim;
    private final TransactionTemplate launch;

    ScheduleFirer(JobScheduleRepository schedules, ObjectProvider<ScheduledRunLauncher> launchers,
            ApplicationEventPublisher events, Clock clock, PlatformTransactionManager transactions) {
        this.schedules = schedules;
        this.launchers = launchers;
        this.events = events;
        this.clock = clock;
        this.claim = new TransactionTemplate(transactions);
        this.launch = new TransactionTemplate(transactions);
        this.launch.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
    }

    @Scheduled(fixedDelayString = "${opsbase.jobs.schedule-poll:PT10S}", initialDelayString = "${opsbase.jobs.schedule-poll:PT10S}")
    void poll() {
        try {
            fireDue();
        } catch (RuntimeException e) {
            log.error("Firing due job schedules failed; the next poll retries", e);
        }
    }

    /** Fires every schedule due at the clock's now; returns how many fire times were handled. */
    public int fireDue() {
        Instant now = clock.instant();
        int total = 0;
        for (int round = 0; round < 50; round++) {
            Integer handled = claim.execute(status -> {
                List<JobSchedule> due = schedules.claimDue(now, BATCH);
                due.forEach(s -> fire(s, now));
                return due.size();
            });
            total += handled;
            if (handled < BATCH) {
                break;
            }
        }
        return total;
    }

    private void fire(JobSchedule s, Instant now) {
        Instant next;
        try {
            next = JobScheduleCatalog.times(s.cron(), s.timeZone()).nextAfter(now);
        } catch (RuntimeException e) {
            next = null; // a zone rule that vanished from the JDK: stop rather than fire in a loop
        }
        boolean misfire = Duration.between(s.nextFireAt(), now).compareTo(MISFIRE_THRESHOLD) > 0;
        if (misfire && s.misfire() == MisfirePolicy.SKIP) {
            String why = "missed the fire time " + s.nextFireAt() + " (now " + now + "); misfire policy skip";
            schedules.recordFire(s.id(), now, "skipped", null, why, next);
            events.publishEvent(new JobScheduleChanged("skipped", s.id(), s.name() + ": " + why, "scheduler"));
            return;
        }
        ScheduledRunLauncher launcher = launchers.getIfAvailable();
        if (launcher == null) {
            schedules.recordFire(s.id(), now, "failed", null, NO_LAUNCHER, next);
            events.publishEvent(new JobScheduleChanged("failed", s.id(), s.name() + ": " + NO_LAUNCHER, "scheduler"));
            log.warn("Job schedule {} is due but {}", s.name(), NO_LAUNCHER);
            return;
        }
        try {
            long runId = launch.execute(status -> launcher.launch(s.templateId(), s.parameters(), s.name()));
            schedules.recordFire(s.id(), now, "launched", runId, null, next);
            events.publishEvent(new JobScheduleChanged("launched", s.id(), s.name() + ": run " + runId
                    + (misfire ? " (one run for the fire times missed since " + s.nextFireAt() + ")" : ""), "scheduler"));
        } catch (RuntimeException e) {
            String why = "launching template " + s.templateId() + " failed: " + e.getMessage();
            schedules.recordFire(s.id(), now, "failed", null, why, next);
            events.publishEvent(new JobScheduleChanged("failed", s.id(), s.name() + ": " + why, "scheduler"));
            log.warn("Job schedule {}: {}", s.name(), why);
        }
    }
}
