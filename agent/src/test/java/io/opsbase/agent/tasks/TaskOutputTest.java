package io.opsbase.agent.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.opsbase.protocol.TaskOutputRequest;

class TaskOutputTest {

    @TempDir
    Path dir;

    @Test
    void findsTheEndOfTheLastWholeUtf8Character() {
        var text = "a运".getBytes(StandardCharsets.UTF_8); // 1 + 3 bytes

        assertThat(TaskOutput.wholeCharacters(text)).isEqualTo(4);
        assertThat(TaskOutput.wholeCharacters(java.util.Arrays.copyOf(text, 3))).isEqualTo(1);
        assertThat(TaskOutput.wholeCharacters(java.util.Arrays.copyOf(text, 2))).isEqualTo(1);
        assertThat(TaskOutput.wholeCharacters(new byte[0])).isZero();
    }

    @Test
    void keepsExactlyTheLimitAcrossBothStreamsAndMarksEveryChunkFromTheFirstLoss() throws Exception {
        TaskHandler chatty = (task, output) -> {
            var ten = "0123456789".getBytes(StandardCharsets.US_ASCII);
            output.stdout(ten, 0, 10);
            output.flush();
            output.stderr(ten, 0, 10);
            output.stdout(ten, 0, 10); // crosses the limit of 25: 5 kept
            output.flush();
            output.stdout(ten, 0, 10);
            return TaskEnd.exited(0);
        };
        try (var f = TaskFixtures.open(dir, journal -> Map.of("chatty", chatty), TaskDispatcher.Settings.standard(1))) {
            var result = f.run(f.task("chatty", Map.of("maxOutputBytes", "25")));

            assertThat(result.stdout()).isEqualTo("0123456789" + "01234");
            assertThat(result.stderr()).isEqualTo("0123456789");
            assertThat(result.chunks()).extracting(c -> c.get("truncated")).containsExactly(false, true, true);
            assertThat(result.outcome()).isEqualTo(TaskOutputRequest.OUTCOME_EXITED);
        }
    }

    @Test
    void putsTheEndsMessageOnALineOfItsOwn() throws Exception {
        TaskHandler open = (task, output) -> {
            var partial = "no newline".getBytes(StandardCharsets.US_ASCII);
            output.stderr(partial, 0, partial.length);
            return TaskEnd.timedOut("timed out");
        };
        TaskHandler quiet = (task, output) -> {
            output.stdoutLine("out");
            return TaskEnd.timedOut("timed out");
        };
        try (var f = TaskFixtures.open(dir, journal -> Map.of("open", open, "quiet", quiet), TaskDispatcher.Settings.standard(1))) {
            assertThat(f.run(f.task("open", Map.of())).stderr()).isEqualTo("no newline\ntimed out");
            assertThat(f.run(f.task("quiet", Map.of())).stderr()).isEqualTo("timed out");
        }
    }
}
