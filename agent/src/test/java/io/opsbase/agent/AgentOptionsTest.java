package io.opsbase.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

class AgentOptionsTest {

    @Test
    void readsTheDocumentedCommandLine() throws Exception {
        var options = AgentOptions.parse(new String[] {"--server", "https://ops.example.net", "--enroll-token", "tok",
                "--state-dir", "/tmp/agent"}, Map.of());

        assertThat(options.server()).isEqualTo(URI.create("https://ops.example.net"));
        assertThat(options.enrollToken()).contains("tok");
        assertThat(options.stateDir()).isEqualTo(Path.of("/tmp/agent"));
    }

    @Test
    void takesTheTokenFromTheEnvironmentAndDefaultsTheStateDirectory() throws Exception {
        var options = AgentOptions.parse(new String[] {"--server", "http://127.0.0.1:8080"}, Map.of(AgentOptions.TOKEN_VARIABLE, "env-tok"));

        assertThat(options.enrollToken()).contains("env-tok");
        assertThat(options.stateDir()).isEqualTo(AgentOptions.DEFAULT_STATE_DIR);
    }

    @Test
    void spellsTheServerWithoutATrailingSlash() throws Exception {
        assertThat(AgentOptions.parse(new String[] {"--server", "https://ops.example.net/"}, Map.of()).server())
                .isEqualTo(URI.create("https://ops.example.net"));
    }

    @Test
    void needsNoTokenOnceEnrolled() throws Exception {
        assertThat(AgentOptions.parse(new String[] {"--server", "http://h"}, Map.of()).enrollToken()).isEmpty();
    }

    @Test
    void refusesAMissingServerAnUnknownOptionAndAMissingValue() {
        assertThatThrownBy(() -> AgentOptions.parse(new String[] {}, Map.of())).hasMessage("--server is required");
        assertThatThrownBy(() -> AgentOptions.parse(new String[] {"--server", "http://h", "--verbose"}, Map.of()))
                .hasMessage("unknown option --verbose");
        assertThatThrownBy(() -> AgentOptions.parse(new String[] {"--server"}, Map.of())).hasMessage("--server needs a value");
        assertThatThrownBy(() -> AgentOptions.parse(new String[] {"--server", "ftp://h"}, Map.of()))
                .hasMessageContaining("http or https");
    }

    @Test
    void readsTheTaskAccountsAndConcurrencyAndDefaultsThem() throws Exception {
        var options = AgentOptions.parse(new String[] {"--server", "http://h", "--task-accounts", "deploy, nobody",
                "--task-concurrency", "3"}, Map.of());
        var defaults = AgentOptions.parse(new String[] {"--server", "http://h"}, Map.of());

        assertThat(options.taskAccounts()).containsExactly("deploy", "nobody");
        assertThat(options.taskConcurrency()).isEqualTo(3);
        assertThat(defaults.taskAccounts()).isEmpty();
        assertThat(defaults.taskConcurrency()).isEqualTo(AgentOptions.DEFAULT_TASK_CONCURRENCY);
        assertThatThrownBy(() -> AgentOptions.parse(new String[] {"--server", "http://h", "--task-concurrency", "0"}, Map.of()))
                .hasMessageContaining("at least 1");
        assertThatThrownBy(() -> AgentOptions.parse(new String[] {"--server", "http://h", "--task-accounts", "a,,b"}, Map.of()))
                .hasMessageContaining("--task-accounts");
    }

    @Test
    void hidesTheTokenFromItsDescription() throws Exception {
        var options = AgentOptions.parse(new String[] {"--server", "http://h", "--enroll-token", "s3cr3t"}, Map.of());

        assertThat(options.toString()).doesNotContain("s3cr3t");
    }
}
