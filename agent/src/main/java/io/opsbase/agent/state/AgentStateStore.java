package io.opsbase.agent.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import io.opsbase.agent.json.Messages;

/**
 * Keeps {@link AgentState} in {@value #FILE_NAME} in the state directory, as JSON, mode 0600,
 * replaced atomically. Deleting the file (or the whole directory) makes the agent enroll again.
 */
public final class AgentStateStore {

    public static final String FILE_NAME = "agent-state.json";

    private final Path file;

    public AgentStateStore(Path stateDir) {
        this.file = stateDir.resolve(FILE_NAME);
    }

    public Optional<AgentState> load() throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Messages.agentState(Files.readAllBytes(file)));
        } catch (RuntimeException e) {
            throw new IOException("the agent state " + file + " is unreadable (" + e.getMessage()
                    + "); delete it to enroll this host again", e);
        }
    }

    public void save(AgentState state) throws IOException {
        PrivateFiles.directory(file.getParent());
        PrivateFiles.writeAtomically(file, Messages.agentState(state));
    }

    public Path file() {
        return file;
    }
}
