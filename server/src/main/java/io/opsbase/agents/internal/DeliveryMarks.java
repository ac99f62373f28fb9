package io.opsbase.agents.internal;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import jakarta.annotation.PreDestroy;

/**
 * Sets {@code delivered_at} for tasks a poll answered from memory ({@link AgentChannel#deliver}),
 * many per statement: one writer thread takes whatever ids have queued up while its previous
 * update ran (at most {@value #MAX_BATCH}) and marks them together, instead of one statement per
 * poll answer. The mark only steers redelivery ({@link TaskRepository#takeDeliverable}): until it
 * is written the task counts as undelivered, so a poll in that moment gets it again and the agent,
 * which drops a task id it already holds, does not run it twice. A mark lost in a crash means the
 * same. Thread-safe.
 */
@Component
public class DeliveryMarks {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryMarks.class);
    static final int MAX_BATCH = 1000;

    private final TaskRepository tasks;
    private final Clock clock;
    private final LinkedBlockingQueue<Long> queue = new LinkedBlockingQueue<>();
    private final Thread writer;

    DeliveryMarks(TaskRepository tasks, Clock clock) {
        this.tasks = tasks;
        this.clock = clock;
        this.writer = Thread.ofVirtual().name("delivery-marks").start(this::write);
    }

    public void delivered(long taskId) {
        queue.add(taskId);
    }

    private void write() {
        List<Long> batch = new ArrayList<>(MAX_BATCH);
        while (!Thread.currentThread().isInterrupted()) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            flush(batch);
        }
        queue.drainTo(batch);
        flush(batch);
    }

    private void flush(List<Long> batch) {
        if (batch.isEmpty()) {
            return;
        }
        try {
            tasks.markDelivered(batch, clock.instant());
        } catch (RuntimeException e) {
            // Only redelivery steering is lost: those tasks are offered again and dropped by their agents as duplicates.
            LOG.warn("could not mark {} answered tasks delivered: {}", batch.size(), e.toString());
        }
        batch.clear();
    }

    @PreDestroy
    void stop() throws InterruptedException {
        writer.interrupt();
        writer.join(5_000);
    }
}
