package io.opsbase.agents.internal;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

/**
 * Wakes an agent's open long-poll the moment a task for it exists. The waiting poll holds a
 * future; {@link #wake} completes it with {@link Wake#READ}, and the woken poll re-reads pending
 * tasks from the database. {@link #deliver} completes it with the task itself — its id and signed
 * JSON, as just committed — so the poll can answer without reading the task back. Either way the
 * task is in the database before the poll hears of it, so a wake or delivery that races with a new
 * poll, or reaches a poll that already ended, can never lose a task: at worst a poll finds it on its
 * first read, or the next poll does (its {@code delivered_at} was never set).
 *
 * <p>An agent holds one poll at a time, so a new poll supersedes (cancels) the older one of the
 * same agent: after an agent restart the server may still hold the dead process's poll, and a task
 * handed to it would sit undelivered until redelivery. Removal is {@code remove(key, value)}, so a
 * finished poll never unregisters its successor.
 *
 * <p>Thread-safe. Memory: one map entry per agent with an open poll; 10,000 polls hold 10,000
 * futures and no threads (the servlet request is async).
 */
@Component
public class AgentChannel {

    /** What woke a poll: a task to answer with, or (no task) a hint to read the database. */
    public record Wake(long taskId, String signedTask) {

        public static final Wake READ = new Wake(0, null);
    }

    private final Map<Long, CompletableFuture<Wake>> waiting = new ConcurrentHashMap<>();

    /** A future completed when {@link #wake} or {@link #deliver} is called for the agent; the caller applies the timeout. */
    public CompletableFuture<Wake> await(long agentId) {
        CompletableFuture<Wake> f = new CompletableFuture<>();
        CompletableFuture<Wake> older = waiting.put(agentId, f);
        if (older != null) {
            older.cancel(false);
        }
        f.whenComplete((v, e) -> waiting.remove(agentId, f));
        return f;
    }

    public void wake(long agentId) {
        CompletableFuture<Wake> f = waiting.get(agentId);
        if (f != null) {
            f.complete(Wake.READ);
        }
    }

    /**
     * Hands a committed task (its signed JSON, unsealed) to the agent's open poll, if it has one;
     * false when none took it — the task then waits in the database for the agent's next poll.
     */
    public boolean deliver(long agentId, long taskId, String signedTask) {
        CompletableFuture<Wake> f = waiting.get(agentId);
        return f != null && f.complete(new Wake(taskId, signedTask));
    }

    /** Number of agents with an open long-poll on this node. */
    public int openPolls() {
        return waiting.size();
    }
}
