package io.opsbase.agent;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opsbase.agent.inventory.InventoryScheduler;
import io.opsbase.agent.monitoring.ConfigSync;
import io.opsbase.agent.monitoring.MonitoringScheduler;
import io.opsbase.agent.outbox.OutboxDelivery;
import io.opsbase.agent.tasks.TaskPoller;

/**
 * The running agent: three loops on their own threads — the outbox delivery, the task long-poll and
 * the inventory check every {@link #INVENTORY_CHECK} (with the monitoring configuration check every
 * {@link #CONFIG_CHECK}) — and the monitoring items' own scheduler, until {@link #close}. Each loop survives
 * failures on its own; none of them holds another up.
 */
public final class Agent implements AutoCloseable {

    public static final Duration INVENTORY_CHECK = Duration.ofMinutes(15);
    /** How often the configuration check runs; {@link ConfigSync} asks the server less often once it has items. */
    public static final Duration CONFIG_CHECK = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);

    private final List<Thread> loops;
    private final ScheduledExecutorService inventoryTimer;
    private final MonitoringScheduler monitoring;

    private Agent(List<Thread> loops, ScheduledExecutorService inventoryTimer, MonitoringScheduler monitoring) {
        this.loops = loops;
        this.inventoryTimer = inventoryTimer;
        this.monitoring = monitoring;
    }

    public static Agent start(OutboxDelivery delivery, TaskPoller poller, InventoryScheduler inventory) {
        return start(delivery, poller, inventory, null, null);
    }

    /**
     * Also keeps the monitoring configuration in step every {@link #CONFIG_CHECK} and runs its
     * items; {@code config} and {@code monitoring} may be null (no monitoring).
     */
    public static Agent start(OutboxDelivery delivery, TaskPoller poller, InventoryScheduler inventory, ConfigSync config,
            MonitoringScheduler monitoring) {
        var loops = List.of(
                Thread.ofPlatform().name("outbox-delivery").start(delivery),
                Thread.ofPlatform().name("task-poller").start(poller));
        var timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("inventory").factory());
        timer.scheduleWithFixedDelay(() -> checkInventory(inventory), 0, INVENTORY_CHECK.toSeconds(), TimeUnit.SECONDS);
        if (config != null) {
            timer.scheduleWithFixedDelay(config, 0, CONFIG_CHECK.toSeconds(), TimeUnit.SECONDS);
        }
        return new Agent(loops, timer, monitoring);
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
        inventoryTimer.shutdownNow();
        if (monitoring != null) {
            monitoring.close();
        }
        loops.forEach(Thread::interrupt);
    }
}
