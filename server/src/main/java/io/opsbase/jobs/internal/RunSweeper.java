package io.opsbase.jobs.internal;

import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps runs from hanging: a task in flight past its deadline (step timeout plus grace) is marked
 * lost — its agent vanished, restarted or never polled — as is a source host's upload for a file
 * step (the run then fails), and a rolling run whose pause between
 * batches is over moves on. Each run in its own transaction under its lock, so this may run on
 * every node at once.
 */
@Component
class RunSweeper {

    private static final Logger log = LoggerFactory.getLogger(RunSweeper.class);
    private static final int BATCH = 500;

    private final HostTaskRepository tasks;
    private final FileSourceRepository sources;
    private final RunRepository runs;
    private final RunEngine engine;
    private final TransactionTemplate tx;
    private final Clock clock;

    RunSweeper(HostTaskRepository tasks, FileSourceRepository sources, RunRepository runs, RunEngine engine, TransactionTemplate tx,
            Clock clock) {
        this.sources = sources;
        this.tasks = tasks;
        this.runs = runs;
        this.engine = engine;
        this.tx = tx;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${opsbase.jobs.sweep-every:1s}")
    void sweep() {
        try {
            for (HostTaskRow overdue : tasks.overdue(clock.instant(), BATCH)) {
                tx.executeWithoutResult(s -> runs.lock(overdue.runId())
                        .ifPresent(run -> engine.lose(run, overdue)));
            }
            for (var overdue : sources.overdue(clock.instant(), BATCH)) {
                tx.executeWithoutResult(s -> runs.lock(overdue.runId()).ifPresent(run -> sources.find(overdue.runId(), overdue.step())
                        .filter(now -> FileSourceRepository.UPLOADING.equals(now.state()))
                        .ifPresent(now -> engine.sourceLost(run, now))));
            }
            for (long runId : runs.resumable(clock.instant())) {
                tx.executeWithoutResult(s -> runs.lock(runId).ifPresent(engine::advance));
            }
        } catch (RuntimeException e) {
            log.error("sweeping job runs failed; trying again next round", e);
        }
    }
}
