package io.opsbase.jobs.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Live run events for server-sent-event subscribers on this node: {@code host} (a host's task
 * changed state), {@code output} (a chunk arrived, secrets already masked) and {@code run} (the
 * run's state changed). Events are sent only after the transaction that caused them commits, so a
 * subscriber never sees what was rolled back. Thread-safe; an emitter that fails to send is dropped.
 */
@Component
public class RunStream {

    static final Duration TIMEOUT = Duration.ofMinutes(30);

    private final Map<Long, List<SseEmitter>> subscribers = new ConcurrentHashMap<>();

    /** A new subscriber; it gets {@code current} (the run's state) at once, which also starts the response. */
    public SseEmitter subscribe(long runId, Object current) {
        SseEmitter emitter = new SseEmitter(TIMEOUT.toMillis());
        try {
            emitter.send(SseEmitter.event().name("run").data(JobJson.write(current)));
        } catch (IOException e) {
            emitter.completeWithError(e);
            return emitter;
        }
        List<SseEmitter> list = subscribers.computeIfAbsent(runId, k -> new CopyOnWriteArrayList<>());
        list.add(emitter);
        Runnable remove = () -> list.remove(emitter);
        emitter.onCompletion(remove);
        emitter.onTimeout(remove);
        emitter.onError(e -> remove.run());
        return emitter;
    }

    public void publish(long runId, String event, Object data) {
        if (!subscribers.containsKey(runId)) {
            return;
        }
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    send(runId, event, data);
                }
            });
        } else {
            send(runId, event, data);
        }
    }

    private void send(long runId, String event, Object data) {
        List<SseEmitter> list = subscribers.get(runId);
        if (list == null) {
            return;
        }
        for (SseEmitter emitter : list) {
            try {
                emitter.send(SseEmitter.event().name(event).data(JobJson.write(data)));
            } catch (IOException | IllegalStateException e) {
                list.remove(emitter);
            }
        }
    }
}
