package io.opsbase.agent.tasks.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.opsbase.agent.tasks.PingHandler;
import io.opsbase.agent.tasks.ProcessTree;
import io.opsbase.agent.tasks.TaskDispatcher;
import io.opsbase.agent.tasks.TaskFixtures;
import io.opsbase.agent.tasks.TaskHandler;
import io.opsbase.protocol.Task;
import io.opsbase.protocol.TaskOutputRequest;

/** Real scripts in real processes, through the dispatcher and a real outbox. */
class ScriptHandlerTest {

    private static final String ME = System.getProperty("user.name");

    @TempDir
    Path dir;

    private TaskFixtures.Run fixture;

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private TaskFixtures.Run fixture(Interpreters interpreters, Accounts accounts, int chunkBytes) throws IOException {
        return fixture(interpreters, accounts, chunkBytes, dir.resolve("tmp"));
    }

    private TaskFixtures.Run fixture(Interpreters interpreters, Accounts accounts, int chunkBytes, Path tempRoot) throws IOException {
        fixture = TaskFixtures.open(dir, journal -> Map.<String, TaskHandler>of(Task.PING, new PingHandler(), Task.SCRIPT,
                new ScriptHandler(interpreters, accounts, journal, tempRoot)), new TaskDispatcher.Settings(4, chunkBytes, 1 << 24));
        return fixture;
    }

    private TaskFixtures.Run fixture() throws IOException {
        return fixture(Interpreters.standard(), Accounts.of(List.of()), 64 * 1024);
    }

    private static Map<String, String> bash(String script, String... more) {
        var p = new java.util.HashMap<String, String>(Map.of("language", "bash", "script", script));
        for (int i = 0; i < more.length; i += 2) {
            p.put(more[i], more[i + 1]);
        }
        return p;
    }

    @Test
    void reportsStdoutStderrAndTheExitCode() throws Exception {
        var f = fixture();
        var result = f.run(f.task(Task.SCRIPT, bash("echo out; echo err >&2; exit 3")));

        assertThat(result.stdout()).isEqualTo("out\n");
        assertThat(result.stderr()).isEqualTo("err\n");
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.outcome()).isEqualTo(TaskOutputRequest.OUTCOME_EXITED);
        assertThat(result.truncated()).isFalse();
        assertThat(result.last().get("startedAt")).isNotNull();
        assertThat(result.last().get("finishedAt")).isNotNull();
    }

    @Test
    void keepsEachStreamInOrderWhenTheScriptInterleavesThem() throws Exception {
        var f = fixture(Interpreters.standard(), Accounts.of(List.of()), 1024);
        var result = f.run(f.task(Task.SCRIPT, bash("for i in $(seq 1 2000); do echo out$i; echo err$i >&2; done")));

        var expectedOut = new StringBuilder();
        var expectedErr = new StringBuilder();
        for (int i = 1; i <= 2000; i++) {
            expectedOut.append("out").append(i).append('\n');
            expectedErr.append("err").append(i).append('\n');
        }
        assertThat(result.stdout()).isEqualTo(expectedOut.toString());
        assertThat(result.stderr()).isEqualTo(expectedErr.toString());
        assertThat(result.chunks()).hasSizeGreaterThan(10);
        for (int i = 0; i < result.chunks().size(); i++) {
            var chunk = result.chunks().get(i);
            assertThat(chunk.get("sequence")).isEqualTo((long) i);
            assertThat(chunk.get("last")).isEqualTo(i == result.chunks().size() - 1);
            var size = ((String) chunk.get("stdout")).length() + ((String) chunk.get("stderr")).length();
            assertThat(size).isLessThanOrEqualTo(1024);
        }
    }

    @Test
    void keepsMultiByteCharactersWholeAcrossChunks() throws Exception {
        var f = fixture(Interpreters.standard(), Accounts.of(List.of()), 64);
        var result = f.run(f.task(Task.SCRIPT, bash("for i in $(seq 1 300); do printf '运维'; done")));

        assertThat(result.stdout()).isEqualTo("运维".repeat(300));
    }

    @Test
    void dropsOutputPastTheLimitAndMarksTheTaskTruncated() throws Exception {
        var f = fixture();
        var result = f.run(f.task(Task.SCRIPT, bash("head -c 200000 /dev/zero | tr '\\0' x; echo done >&2", "maxOutputBytes", "1000")));

        assertThat(result.stdout()).isEqualTo("x".repeat(1000));
        assertThat(result.stderr()).isEmpty();
        assertThat(result.truncated()).isTrue();
        assertThat(result.exitCode()).isZero();
    }

    @Test
    void timeoutKillsTheWholeTreeGrandchildrenIncluded() throws Exception {
        var f = fixture();
        var pidFile = dir.resolve("grandchild.pid");
        var script = "bash -c 'sleep 300 & echo $! > " + pidFile + "; wait' & wait";
        var result = f.run(f.task(Task.SCRIPT, bash(script, "timeoutSeconds", "1")));

        assertThat(result.outcome()).isEqualTo(TaskOutputRequest.OUTCOME_TIMED_OUT);
        assertThat(result.stderr()).contains("timed out after 1 s");
        var grandchild = Long.parseLong(Files.readString(pidFile).trim());
        await().atMost(Duration.ofSeconds(10)).until(() -> !ProcessTree.isRunning(grandchild));
    }

    @Test
    void cancelKillsTheWholeTreeGrandchildrenIncluded() throws Exception {
        var f = fixture();
        var pidFile = dir.resolve("grandchild.pid");
        var task = f.task(Task.SCRIPT, bash("echo started; bash -c 'sleep 300 & echo $! > " + pidFile + ".tmp; mv " + pidFile + ".tmp "
                + pidFile + "; wait' & wait"));
        f.dispatcher().submit(task);
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(pidFile));
        var grandchild = Long.parseLong(Files.readString(pidFile).trim());
        assertThat(ProcessTree.isRunning(grandchild)).isTrue();

        var cancel = f.run(f.task(Task.CANCEL, Map.of("taskId", task.taskId())));
        var result = f.awaitEnd(task.taskId());

        assertThat(cancel.outcome()).isEqualTo(TaskOutputRequest.OUTCOME_EXITED);
        assertThat(cancel.exitCode()).isZero();
        assertThat(result.outcome()).isEqualTo(TaskOutputRequest.OUTCOME_CANCELLED);
        assertThat(result.stdout()).isEqualTo("started\n");
        await().atMost(Duration.ofSeconds(10)).until(() -> !ProcessTree.isRunning(grandchild));
    }

    @Test
    void passesEnvParametersAsEnvironmentNeverOnTheCommandLine() throws Exception {
        var f = fixture();
        var secret = "s3cr3t; rm -rf /tmp/nothing";
        var result = f.run(f.task(Task.SCRIPT, bash("printf '%s\\n' \"$GREETING\"; tr '\\0' ' ' < /proc/$$/cmdline; echo; tr '\\0' ' ' < /proc/$PPID/cmdline",
                "env.GREETING", secret)));

        var lines = result.stdout().split("\n");
        assertThat(lines[0]).isEqualTo(secret);
        assertThat(lines[1]).doesNotContain("s3cr3t").contains("script.sh");
        assertThat(lines[2]).doesNotContain("s3cr3t");
        assertThat(result.exitCode()).isZero();
    }

    @Test
    void refusesAnEnvironmentNameThatIsNotAnIdentifier() throws Exception {
        var f = fixture();
        var result = f.run(f.task(Task.SCRIPT, bash("echo ran", "env.A-B", "x")));

        assertThat(result.outcome()).isEqualTo(TaskOutputRequest.OUTCOME_FAILED_TO_START);
        assertThat(result.stdout()).isEmpty();
    }

    @Test
    void refusesAnAccountThatIsNotAllowed() throws Exception {
        var f = fixture(Interpreters.standard(), new Accounts(List.of(ME), ME, "root".equals(ME)), 1024);
        var result = f.run(f.task(Task.SCRIPT, bash("echo ran", "account", "daemon")));

        assertThat(result.outcome()).isEqualTo(TaskOutputRequest.OUTCOME_REFUSED);
        assertThat(result.stderr()).contains("daemon").contains("--task-accounts");
        assertThat(result.stdout()).isEmpty();
    }

    @Test
    void aNonRootAgentRefusesToRunAsAnotherAllowedAccount() throws Exception {
        var f = fixture(Interpreters.standard(), new Accounts(List.of("opsbase", "daemon"), "opsbase", false), 1024);
        var result = f.run(f.task(Task.SCRIPT, bash("echo ran", "account", "daemon")));

        assertThat(result.outcome()).isEqualTo(TaskOutputRequest.OUTCOME_REFUSED);
        assertThat(result.stderr()).contains("only as itself");
        assertThat(result.stdout()).isEmpty();
    }

    @Test
    void aRootAgentRunsTheScriptAsTheRequestedAccount() throws Exception {
        Assumptions.assumeTrue("root".equals(ME), "switching accounts needs the tests to run as root");
        // The system temp directory: the account must be able to reach its private script directory.
        var f = fixture(Interpreters.standard(), Accounts.of(List.of("root", "nobody")), 1024, Path.of(System.getProperty("java.io.tmpdir")));
        var result = f.run(f.task(Task.SCRIPT, bash("id -un; echo \"$SECRET\"; stat -c '%U %a' \"$0\" \"$(dirname \"$0\")\"", "account", "nobody",
                "env.SECRET", "for nobody")));

        // The script and its directory belong to the account, for it alone, whatever the agent's umask.
        assertThat(result.stdout()).as(result.stderr()).isEqualTo("nobody\nfor nobody\nnobody 600\nnobody 700\n");
        assertThat(result.exitCode()).isZero();
    }

    @Test
    void failsToStartWithAClearMessageWhenTheInterpreterIsMissing() throws Exception {
        var empty = Files.createDirectories(dir.resolve("empty-bin"));
        var f = fixture(new Interpreters(empty.toString()), Accounts.of(List.of()), 1024);
        var result = f.run(f.task(Task.SCRIPT, Map.of("language", "powershell", "script", "Write-Output hi")));

        assertThat(result.outcome()).isEqualTo(TaskOutputRequest.OUTCOME_FAILED_TO_START);
        assertThat(result.stderr()).contains("powershell is not installed").contains("pwsh");
    }

    @Test
    void runsPythonWhereTheHostHasIt() throws Exception {
        Assumptions.assumeTrue(Interpreters.standard().find("python").isPresent(), "no python3 on this host");
        var f = fixture();
        var result = f.run(f.task(Task.SCRIPT, Map.of("language", "python", "script", "import sys\nprint('hi')\nsys.exit(4)")));

        assertThat(result.stdout()).isEqualTo("hi\n");
        assertThat(result.exitCode()).isEqualTo(4);
    }

    @Test
    void runsShAndRefusesAnUnknownLanguage() throws Exception {
        var f = fixture();
        assertThat(f.run(f.task(Task.SCRIPT, Map.of("language", "sh", "script", "echo $((6*7))"))).stdout()).isEqualTo("42\n");
        var unknown = f.run(f.task(Task.SCRIPT, Map.of("language", "perl", "script", "print 1")));
        assertThat(unknown.outcome()).isEqualTo(TaskOutputRequest.OUTCOME_FAILED_TO_START);
        assertThat(unknown.stderr()).contains("perl");
    }

    @Test
    void leavesNoScriptFileBehind() throws Exception {
        var f = fixture();
        f.run(f.task(Task.SCRIPT, bash("echo $0")));

        try (var left = Files.list(dir.resolve("tmp"))) {
            assertThat(left).isEmpty();
        }
    }
}
