package io.opsbase.agent;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opsbase.agent.inventory.InventoryScheduler;
import io.opsbase.agent.monitoring.ConfigSync;
import io.opsbase.agent.monitoring.MonitoringScheduler;
import io.opsbase.agent.outbox.OutboxDelivery;
import io.opsbase.agent.tasks.TaskDispatcher;
import io.opsbase.agent.tasks.TaskPoller;

/**
 * The running agent: loops on their own threads — the outbox delivery, the task long-poll, the
 * inventory check every {@link #INVENTORY_CHECK} and, with monitoring, the configuration check every
 * {@link #CONFIG_CHECK} — plus the monitoring items' own scheduler, until {@link #close}. Each loop
 * survives failures on its own; none of them holds another up. (Plain threads, no executor: at
 * idle every class counts, see docs/agent.md.)
 */
public final class Agent implements AutoCloseable {

    public static final Duration INVENTORY_CHECK = Duration.ofMinutes(15);
    /** How often the configuration check runs; {@link ConfigSync} asks the server less often once it has items. */
    public static final Duration CONFIG_CHECK = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);

    private final List<Thread> loops;
    private final MonitoringScheduler monitoring;
    private final TaskDispatcher tasks;

    private Agent(List<Thread> loops, MonitoringScheduler monitoring, TaskDispatcher tasks) {
        this.loops = loops;
        this.monitoring = monitoring;
        this.tasks = tasks;
    }

    public static Agent start(OutboxDelivery delivery, TaskPoller poller, InventoryScheduler inventory) {
        return start(delivery, poller, inventory, null, null, null);
    }

    /**
     * Also keeps the monitoring configuration in step and runs its items; {@code config},
     * {@code monitoring} and {@code tasks} (the poller's dispatcher, stopped on {@link #close}) may be null.
     */
    public static Agent start(OutboxDelivery delivery, TaskPoller poller, InventoryScheduler inventory, ConfigSync config,
            MonitoringScheduler monitoring, TaskDispatcher tasks) {
        List<Thread> loops = new ArrayList<>(List.of(
                Thread.ofPlatform().name("outbox-delivery").start(delivery),
                Thread.ofPlatform().name("task-poller").start(poller),
                Thread.ofPlatform().name("inventory").start(new Every(INVENTORY_CHECK, () -> checkInventory(inventory)))));
        if (config != null) {
            loops.add(Thread.ofPlatform().name("config").start(new Every(CONFIG_CHECK, config)));
        }
        return new Agent(List.copyOf(loops), monitoring, tasks);
    }

    /** Runs a step at once, then every {@code period}, until interrupted. */
    private record Every(Duration period, Runnable step) implements Runnable {

        @Override
        public void run() {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    step.run();
                    Thread.sleep(period.toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void checkInventory(InventoryScheduler inventory) {
        try {
            inventory.tick();
        } catch (IOException | RuntimeException e) {
            LOG.warn("inventory: collection or queueing failed ({}); next try in {}", e.toString(), INVENTORY_CHECK);
        }
    }

    /** Blocks until every loop ended. */
    public void await() throws InterruptedException {
        for (var loop : loops) {
            loop.join();
        }
    }

    @Override
    public void close() {
        if (monitoring != null) {
            monitoring.close();
        }
        loops.forEach(Thread::interrupt);
        if (tasks != null) {
            // After the poller stopped, so no task starts while the running ones kill their processes and report.
            tasks.close();
        }
    }
}
