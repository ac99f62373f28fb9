package io.opsbase.agent.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentStateStoreTest {

    @TempDir
    Path tmp;

    private final AgentState state = new AgentState("https://opsbase.example.net", "agent-1", "c2VjcmV0LXNlY3JldC1zZWNyZXQ=", "MCowBQYDK2VwAyEA");

    @Test
    void loadsWhatItSaved() throws IOException {
        var store = new AgentStateStore(tmp.resolve("state"));
        store.save(state);

        assertThat(new AgentStateStore(tmp.resolve("state")).load()).contains(state);
    }

    @Test
    void findsNothingBeforeEnrollment() throws IOException {
        assertThat(new AgentStateStore(tmp).load()).isEmpty();
    }

    @Test
    void keepsTheIdentityReadableByTheOwnerOnly() throws IOException {
        var dir = tmp.resolve("state");
        var store = new AgentStateStore(dir);
        store.save(state);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file()))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
    }

    @Test
    void replacesTheFileWithoutLeavingTemporaryFilesBehind() throws IOException {
        var store = new AgentStateStore(tmp);
        store.save(state);
        var renewed = new AgentState(state.serverUrl(), "agent-2", state.secret(), state.serverPublicKey());
        store.save(renewed);

        assertThat(store.load()).contains(renewed);
        try (var files = Files.list(tmp)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(AgentStateStore.FILE_NAME);
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file()))).isEqualTo("rw-------");
    }

    @Test
    void explainsHowToRecoverFromAnUnreadableFile() throws IOException {
        var store = new AgentStateStore(tmp);
        Files.writeString(store.file(), "{not json");

        assertThatThrownBy(store::load).isInstanceOf(IOException.class).hasMessageContaining("delete it to enroll this host again");
    }

    @Test
    void neverPrintsTheSecret() {
        assertThat(state.toString()).doesNotContain(state.secret());
    }
}
