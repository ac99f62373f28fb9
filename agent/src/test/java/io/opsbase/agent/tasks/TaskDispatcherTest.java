package io.opsbase.agent.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.opsbase.protocol.Task;
import io.opsbase.protocol.TaskOutputRequest;

class TaskDispatcherTest {

    @TempDir
    Path dir;

    @Test
    void runsNoMoreTasksAtOnceThanItsLimitAndQueuesTheRestWithoutBlockingTheCaller() throws Exception {
        var gate = new CountDownLatch(1);
        var running = new AtomicInteger();
        var started = new AtomicInteger();
        var most = new AtomicInteger();
        TaskHandler blocking = (task, output) -> {
            started.incrementAndGet();
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                gate.await();
            } finally {
                running.decrementAndGet();
            }
            return TaskEnd.exited(0);
        };
        try (var f = TaskFixtures.open(dir, journal -> Map.of("block", blocking), TaskDispatcher.Settings.standard(2))) {
            var tasks = List.of(f.task("block", Map.of()), f.task("block", Map.of()), f.task("block", Map.of()), f.task("block", Map.of()),
                    f.task("block", Map.of()));
            for (var task : tasks) {
                assertThat(f.dispatcher().submit(task)).isTrue(); // returns while the tasks before it still run
            }
            await().until(() -> running.get() == 2);

            assertThat(started.get()).isEqualTo(2);
            assertThat(f.dispatcher().active()).isEqualTo(5);
            gate.countDown();
            for (var task : tasks) {
                assertThat(f.awaitEnd(task.taskId()).outcome()).isEqualTo(TaskOutputRequest.OUTCOME_EXITED);
            }
            assertThat(started.get()).isEqualTo(5);
            assertThat(most.get()).isEqualTo(2);
        }
    }

    @Test
    void aCancelReachesATaskStillWaitingForASlot() throws Exception {
        var gate = new CountDownLatch(1);
        TaskHandler blocking = (task, output) -> {
            gate.await();
            return TaskEnd.exited(0);
        };
        try (var f = TaskFixtures.open(dir, journal -> Map.of("block", blocking), TaskDispatcher.Settings.standard(1))) {
            var first = f.task("block", Map.of());
            var second = f.task("block", Map.of());
            f.dispatcher().submit(first);
            f.dispatcher().submit(second);

            f.run(f.task(Task.CANCEL, Map.of("taskId", second.taskId())));

            assertThat(f.awaitEnd(second.taskId()).outcome()).isEqualTo(TaskOutputRequest.OUTCOME_CANCELLED);
            gate.countDown();
            assertThat(f.awaitEnd(first.taskId()).outcome()).isEqualTo(TaskOutputRequest.OUTCOME_EXITED);
        }
    }

    @Test
    void neverRunsATaskTwiceAcrossARestart() throws Exception {
        var runs = new AtomicInteger();
        TaskHandler counting = (task, output) -> {
            runs.incrementAndGet();
            return TaskEnd.exited(0);
        };
        Task task;
        try (var f = TaskFixtures.open(dir, journal -> Map.of(Task.PING, counting), TaskDispatcher.Settings.standard(1))) {
            task = f.task(Task.PING, Map.of());
            f.run(task);
        }
        try (var restarted = TaskFixtures.open(dir, journal -> Map.of(Task.PING, counting), TaskDispatcher.Settings.standard(1))) {
            restarted.dispatcher().recover();

            assertThat(restarted.dispatcher().submit(task)).isFalse();
            assertThat(restarted.outbox.size()).isZero();
        }
        assertThat(runs.get()).isEqualTo(1);
    }

    @Test
    void reportsATaskThatRanWhenTheAgentDiedAndKillsWhatItLeft() throws Exception {
        var leftover = new ProcessBuilder("setsid", "-w", "sleep", "300").redirectOutput(new File("/dev/null")).start();
        Task task;
        try (var f = TaskFixtures.open(dir, journal -> Map.of(), TaskDispatcher.Settings.standard(1))) {
            task = f.task(Task.SCRIPT, Map.of("script", "sleep 300"));
            // What the dispatcher and script handler had written when the agent was killed: started, one chunk queued.
            f.journal().begin(task);
            f.journal().processStarted(task.taskId(), leftover.pid(), leftover.info().startInstant().orElse(null));
            f.journal().advance(task.taskId(), 1);
        }
        try (var restarted = TaskFixtures.open(dir, journal -> Map.of(), TaskDispatcher.Settings.standard(1))) {
            restarted.dispatcher().recover();
            var result = restarted.awaitEnd(task.taskId());

            assertThat(result.outcome()).isEqualTo(TaskOutputRequest.OUTCOME_CANCELLED);
            assertThat(result.last().get("sequence")).isEqualTo(1L);
            assertThat(result.stderr()).contains("the agent stopped while this task ran").contains("killed");
            assertThat(leftover.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(restarted.dispatcher().submit(task)).isFalse();
        }
        try (var again = TaskFixtures.open(dir, journal -> Map.of(), TaskDispatcher.Settings.standard(1))) {
            again.dispatcher().recover();
            assertThat(again.outbox.size()).isZero(); // reported once, not at every restart
        }
    }

    @Test
    void refusesATypeWithoutAHandler() throws Exception {
        try (var f = TaskFixtures.open(dir, journal -> Map.of(), TaskDispatcher.Settings.standard(1))) {
            var result = f.run(f.task("reboot", Map.of()));

            assertThat(result.outcome()).isEqualTo(TaskOutputRequest.OUTCOME_REFUSED);
            assertThat(result.stderr()).contains("reboot");
        }
    }

    @Test
    void aCancelForAnUnknownTaskSaysSo() throws Exception {
        try (var f = TaskFixtures.open(dir, journal -> Map.of(), TaskDispatcher.Settings.standard(1))) {
            var result = f.run(f.task(Task.CANCEL, Map.of("taskId", "nope")));

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.stderr()).contains("never reached this agent");
        }
    }

    @Test
    void closingInterruptsRunningTasksWhichReportThatTheAgentStopped() throws Exception {
        TaskHandler forever = (task, output) -> {
            new CountDownLatch(1).await();
            return TaskEnd.exited(0);
        };
        var f = TaskFixtures.open(dir, journal -> Map.of("forever", forever), TaskDispatcher.Settings.standard(1));
        var task = f.task("forever", Map.of());
        f.dispatcher().submit(task);
        await().atMost(Duration.ofSeconds(10)).until(() -> f.dispatcher().active() == 1);

        f.close();

        var result = f.awaitEnd(task.taskId());
        assertThat(result.outcome()).isEqualTo(TaskOutputRequest.OUTCOME_CANCELLED);
        assertThat(result.stderr()).contains("agent stopped");
        assertThat(f.journal().entry(task.taskId()).ended()).isTrue();
    }
}
