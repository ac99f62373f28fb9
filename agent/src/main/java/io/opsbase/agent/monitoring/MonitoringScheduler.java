package io.opsbase.agent.monitoring;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opsbase.agent.collectors.Collector;
import io.opsbase.agent.plugins.CheckPlugin;
import io.opsbase.agent.plugins.PrometheusScraper;
import io.opsbase.agent.plugins.ScriptPlugin;
import io.opsbase.protocol.MonitoringItem;

/**
 * Runs the configured items on their intervals and flushes their samples to the outbox.
 *
 * <p>One scheduler thread runs the built-in collectors (cheap reads of {@code /proc}); plugins run
 * on virtual threads so a slow check never delays the others, and a run still going when its next
 * is due is skipped rather than piled up. Items start at an offset derived from their key, so a
 * thousand hosts do not all collect in the same second. {@link #apply} replaces the item set: an
 * item whose definition is unchanged keeps its schedule and its collector state (rates continue).
 * A failing item is logged when it starts failing and when it recovers, not on every run.
 */
public final class MonitoringScheduler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MonitoringScheduler.class);

    private record Scheduled(MonitoringItem item, ScheduledFuture<?> future) {
    }

    private final Function<String, Collector> collectors;
    private final CheckPlugin checks;
    private final ScriptPlugin scripts;
    private final PrometheusScraper scraper;
    private final SampleBatcher batcher;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private final Map<String, Scheduled> scheduled = new HashMap<>();

    /**
     * @param collectors makes a fresh collector for a built-in collector's name, or null when unknown
     */
    public MonitoringScheduler(Function<String, Collector> collectors, CheckPlugin checks, ScriptPlugin scripts,
            PrometheusScraper scraper, SampleBatcher batcher, Clock clock, Duration flushEvery) {
        this.collectors = collectors;
        this.checks = checks;
        this.scripts = scripts;
        this.scraper = scraper;
        this.batcher = batcher;
        this.clock = clock;
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("monitoring").daemon(true).factory());
        long flushMillis = flushEvery.toMillis();
        timer.scheduleWithFixedDelay(this::flush, flushMillis, flushMillis, TimeUnit.MILLISECONDS);
    }

    /** Replaces the items being run; answers the keys now scheduled. */
    public synchronized List<String> apply(List<MonitoringItem> items) {
        Map<String, MonitoringItem> wanted = new HashMap<>();
        items.forEach(i -> wanted.put(i.key(), i));
        scheduled.entrySet().removeIf(e -> {
            if (e.getValue().item().equals(wanted.get(e.getKey()))) {
                return false;
            }
            e.getValue().future().cancel(false);
            return true;
        });
        for (MonitoringItem item : items) {
            if (scheduled.containsKey(item.key())) {
                continue;
            }
            if (item.interval().isNegative() || item.interval().compareTo(Duration.ofSeconds(1)) < 0) {
                LOG.warn("monitoring: item {} ignored: its interval {} is under 1 s", item.key(), item.interval());
                continue;
            }
            ItemRunner runner;
            try {
                runner = new ItemRunner(item, collectors, checks, scripts, scraper);
            } catch (ItemRunner.ItemFailure e) {
                LOG.warn("monitoring: item {} ignored: {}", item.key(), e.getMessage());
                continue;
            }
            long interval = item.interval().toMillis();
            long offset = Math.floorMod(item.key().hashCode(), interval);
            Runnable task = item.type().equals(MonitoringItem.COLLECTOR) ? new Run(runner) : new OffThread(new Run(runner));
            scheduled.put(item.key(), new Scheduled(item, timer.scheduleAtFixedRate(task, offset, interval, TimeUnit.MILLISECONDS)));
        }
        return scheduled.keySet().stream().sorted().toList();
    }

    /** Writes what was collected to the outbox now (also done on a timer and at close). */
    public void flush() {
        try {
            batcher.flush();
        } catch (IOException | RuntimeException e) {
            LOG.warn("monitoring: could not write samples to the outbox ({}); they are kept for the next flush", e.toString());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        flush();
    }

    /** One run of one item: its points go to the batcher; failures are logged on change only. */
    private final class Run implements Runnable {
        private final ItemRunner runner;
        private boolean failing;

        Run(ItemRunner runner) {
            this.runner = runner;
        }

        @Override
        public void run() {
            long now = clock.millis();
            try {
                batcher.add(runner.run(now), clock.instant());
                if (failing) {
                    LOG.info("monitoring: item {} works again", runner.item().key());
                    failing = false;
                }
            } catch (ItemRunner.ItemFailure e) {
                batcher.add(runner.failed(), clock.instant());
                if (!failing) {
                    LOG.warn("monitoring: item {} failed: {}", runner.item().key(), e.getMessage());
                    failing = true;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.error("monitoring: item {} failed unexpectedly", runner.item().key(), e);
            }
        }
    }

    /** Runs a plugin item on a virtual thread, skipping a run while the previous one still goes. */
    private static final class OffThread implements Runnable {
        private final Runnable run;
        private final AtomicBoolean busy = new AtomicBoolean();

        OffThread(Runnable run) {
            this.run = run;
        }

        @Override
        public void run() {
            if (!busy.compareAndSet(false, true)) {
                return;
            }
            Thread.ofVirtual().name("plugin").start(() -> {
                try {
                    run.run();
                } finally {
                    busy.set(false);
                }
            });
        }
    }
}
