package io.opsbase.agents.internal;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;

import org.springframework.stereotype.Component;

/**
 * Wakes an agent's open long-poll the moment a task for it exists. Each waiting poll holds a
 * future; {@link #wake} completes every future of that agent. Nothing is carried on the future
 * itself — the woken poll re-reads pending tasks from the database, so a wake that races with a
 * new poll can never lose a task (at worst the poll finds it on its first read).
 *
 * <p>Thread-safe. Memory: one small entry per agent with an open poll; 10,000 polls hold 10,000
 * futures and no threads (the servlet request is async).
 */
@Component
public class AgentChannel {

    private final Map<Long, List<CompletableFuture<Void>>> waiting = new ConcurrentHashMap<>();

    /** A future completed when {@link #wake} is called for the agent; the caller applies the timeout. */
    public CompletableFuture<Void> await(long agentId) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        waiting.computeIfAbsent(agentId, id -> new CopyOnWriteArrayList<>()).add(f);
        f.whenComplete((v, e) -> waiting.computeIfPresent(agentId, (id, list) -> {
            list.remove(f);
            return list.isEmpty() ? null : list;
        }));
        return f;
    }

    public void wake(long agentId) {
        List<CompletableFuture<Void>> list = waiting.get(agentId);
        if (list != null) {
            list.forEach(f -> f.complete(null));
        }
    }

    /** Number of agents with an open long-poll on this node. */
    public int openPolls() {
        return waiting.size();
    }
}
