package io.opsbase.agent.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.opsbase.agent.TestClock;
import io.opsbase.protocol.Task;

class TaskJournalTest {

    @TempDir
    Path dir;

    private final TestClock clock = TestClock.at("2026-11-28T10:00:00Z");

    private Task task(String id) {
        return new Task(id, "agent-1", Task.PING, Map.of(), clock.instant(), clock.instant().plusSeconds(600));
    }

    @Test
    void keepsATaskIdThatIsNoSafeFileNameUnderItsHash() throws Exception {
        var journal = TaskJournal.open(dir, clock);

        assertThat(journal.begin(task("../../etc/passwd"))).isTrue();
        assertThat(journal.begin(task("42"))).isTrue();

        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).hasSize(2).contains("42.task")
                    .allMatch(name -> !name.contains("/") && !name.startsWith("."));
        }
        var reopened = TaskJournal.open(dir, clock);
        assertThat(reopened.knows("../../etc/passwd")).isTrue();
        assertThat(reopened.begin(task("../../etc/passwd"))).isFalse();
        assertThat(reopened.unfinishedAtOpen()).extracting(TaskJournal.Entry::taskId).containsExactlyInAnyOrder("../../etc/passwd", "42");
    }

    @Test
    void forgetsAnEndedTaskADayAfterItExpiredButNeverAnUnfinishedOne() throws Exception {
        var journal = TaskJournal.open(dir, clock);
        journal.begin(task("done"));
        journal.end("done");
        journal.begin(task("running"));
        clock.advance(Duration.ofMinutes(10).plus(TaskJournal.KEEP_AFTER_EXPIRY).plusSeconds(1));

        var reopened = TaskJournal.open(dir, clock);

        assertThat(reopened.knows("done")).isFalse();
        assertThat(reopened.knows("running")).isTrue();
        assertThat(reopened.unfinishedAtOpen()).extracting(TaskJournal.Entry::taskId).containsExactly("running");
    }

    @Test
    void keepsTheHighestSequenceAndTheProcess() throws Exception {
        var journal = TaskJournal.open(dir, clock);
        journal.begin(task("t"));
        journal.advance("t", 5);
        journal.advance("t", 3);
        journal.processStarted("t", 1234, clock.instant());

        var entry = TaskJournal.open(dir, clock).entry("t");

        assertThat(entry.nextSequence()).isEqualTo(5);
        assertThat(entry.pid()).isEqualTo(1234);
        assertThat(entry.pidStartedAt()).isEqualTo(clock.instant());
        assertThat(entry.ended()).isFalse();
    }
}
