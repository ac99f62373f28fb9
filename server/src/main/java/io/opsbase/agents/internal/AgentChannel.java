package io.opsbase.agents.internal;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

/**
 * Wakes an agent's open long-poll the moment a task for it exists. The waiting poll holds a
 * future; {@link #wake} completes it. Nothing is carried on the future itself — the woken poll
 * re-reads pending tasks from the database, so a wake that races with a new poll can never lose a
 * task (at worst the poll finds it on its first read).
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

    private final Map<Long, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();

    /** A future completed when {@link #wake} is called for the agent; the caller applies the timeout. */
    public CompletableFuture<Void> await(long agentId) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        CompletableFuture<Void> older = waiting.put(agentId, f);
        if (older != null) {
            older.cancel(false);
        }
        f.whenComplete((v, e) -> waiting.remove(agentId, f));
        return f;
    }

    public void wake(long agentId) {
        CompletableFuture<Void> f = waiting.get(agentId);
        if (f != null) {
            f.complete(null);
        }
    }

    /** Number of agents with an open long-poll on this node. */
    public int openPolls() {
        return waiting.size();
    }
}
