package io.opsbase.agent.tasks;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.opsbase.agent.TestClock;
import io.opsbase.agent.json.Json;
import io.opsbase.agent.json.Messages;
import io.opsbase.agent.outbox.Outbox;
import io.opsbase.agent.outbox.OutboxLimits;
import io.opsbase.protocol.Task;

/** A real outbox and journal under a temp directory, a dispatcher over given handlers, and the chunks it sent. */
public final class TaskFixtures {

    private TaskFixtures() {
    }

    public static Run open(Path stateDir, java.util.function.Function<TaskJournal, Map<String, TaskHandler>> handlers,
            TaskDispatcher.Settings settings) throws IOException {
        return new Run(stateDir, handlers, settings);
    }

    public static final class Run implements AutoCloseable {
        static final String AGENT = "agent-1";
        private static final AtomicLong IDS = new AtomicLong();

        final TestClock clock = TestClock.at("2026-11-28T10:00:00Z");
        final Path stateDir;
        final Outbox outbox;
        final TaskJournal journal;
        final TaskDispatcher dispatcher;
        private final List<Map<String, Object>> chunks = new ArrayList<>();

        Run(Path stateDir, java.util.function.Function<TaskJournal, Map<String, TaskHandler>> handlers, TaskDispatcher.Settings settings)
                throws IOException {
            this.stateDir = stateDir;
            this.outbox = Outbox.open(stateDir.resolve("outbox"), OutboxLimits.STANDARD, clock);
            this.journal = TaskJournal.open(stateDir.resolve("tasks"), clock);
            this.dispatcher = new TaskDispatcher(handlers.apply(journal), journal, outbox, clock, settings);
        }

        public TaskDispatcher dispatcher() {
            return dispatcher;
        }

        public TaskJournal journal() {
            return journal;
        }

        @Override
        public void close() {
            dispatcher.close();
        }

        public Task task(String type, Map<String, String> parameters) {
            return new Task("t" + IDS.incrementAndGet(), AGENT, type, parameters, clock.instant(), clock.instant().plusSeconds(3600));
        }

        /** Submits the task and waits for its last chunk. */
        public Result run(Task task) throws IOException {
            if (!dispatcher.submit(task)) {
                throw new IllegalStateException("not started: " + task.taskId());
            }
            return awaitEnd(task.taskId());
        }

        public Result awaitEnd(String taskId) {
            await().atMost(Duration.ofSeconds(60)).until(() -> ended(taskId));
            return result(taskId);
        }

        synchronized boolean ended(String taskId) throws IOException {
            drain();
            return chunks.stream().anyMatch(c -> taskId.equals(c.get("taskId")) && Boolean.TRUE.equals(c.get("last")));
        }

        synchronized Result result(String taskId) {
            return new Result(chunks.stream().filter(c -> taskId.equals(c.get("taskId"))).toList());
        }

        private void drain() throws IOException {
            for (var entry = outbox.oldest(); entry.isPresent(); entry = outbox.oldest()) {
                chunks.add(Messages.object(Json.parse(entry.get().body())));
                outbox.remove(entry.get().sequence());
            }
        }

        /** A task's chunks, in the order they were queued. */
        public record Result(List<Map<String, Object>> chunks) {

            public String stdout() {
                var out = new StringBuilder();
                chunks.forEach(c -> out.append(c.get("stdout")));
                return out.toString();
            }

            public String stderr() {
                var out = new StringBuilder();
                chunks.forEach(c -> out.append(c.get("stderr")));
                return out.toString();
            }

            public Map<String, Object> last() {
                return chunks.getLast();
            }

            public String outcome() {
                return (String) last().get("outcome");
            }

            public long exitCode() {
                return (Long) last().get("exitCode");
            }

            public boolean truncated() {
                return Boolean.TRUE.equals(last().get("truncated"));
            }

            public Instant finishedAt() {
                return Instant.parse((String) last().get("finishedAt"));
            }
        }
    }
}
