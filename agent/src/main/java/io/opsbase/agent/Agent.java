package io.opsbase.agent;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opsbase.agent.inventory.InventoryScheduler;
import io.opsbase.agent.outbox.OutboxDelivery;
import io.opsbase.agent.tasks.TaskPoller;

/**
 * The running agent: three loops on their own threads — the outbox delivery, the task long-poll and
 * the inventory check every {@link #INVENTORY_CHECK} — until {@link #close}. Each loop survives
 * failures on its own; none of them holds another up. (Plain threads, no executor: at idle every
 * class counts, see docs/agent.md.)
 */
public final class Agent implements AutoCloseable {

    public static final Duration INVENTORY_CHECK = Duration.ofMinutes(15);

    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);

    private final List<Thread> loops;

    private Agent(List<Thread> loops) {
        this.loops = loops;
    }

    public static Agent start(OutboxDelivery delivery, TaskPoller poller, InventoryScheduler inventory) {
        return new Agent(List.of(
                Thread.ofPlatform().name("outbox-delivery").start(delivery),
                Thread.ofPlatform().name("task-poller").start(poller),
                Thread.ofPlatform().name("inventory").start(new InventoryLoop(inventory))));
    }

    /** Checks the inventory at once, then every {@link #INVENTORY_CHECK}. */
    private record InventoryLoop(InventoryScheduler inventory) implements Runnable {

        @Override
        public void run() {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    checkInventory(inventory);
                    Thread.sleep(INVENTORY_CHECK.toMillis());
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
        loops.forEach(Thread::interrupt);
    }
}
