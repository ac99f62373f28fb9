package io.opsbase.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real agent process started from the agent's fat jar, as a host would run it. The jar comes
 * from {@code -Dopsbase.agent.jar} or {@code ../agent/target/opsbase-agent.jar}; when it is
 * missing the test fails with how to build it — it never skips.
 */
final class AgentProcess implements AutoCloseable {

    private final Process process;
    private final Path log;

    private AgentProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static Path jar() {
        Path jar = Path.of(System.getProperty("opsbase.agent.jar", "../agent/target/opsbase-agent.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("the agent jar " + jar.toAbsolutePath() + " is missing: build it first "
                    + "(./mvnw -pl server -am verify, or ./mvnw package at the root)");
        }
        return jar;
    }

    static AgentProcess start(String serverUrl, Path stateDir, String enrollToken) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx64m", "-jar", jar().toString(),
                "--server", serverUrl, "--state-dir", stateDir.toString()));
        if (enrollToken != null) {
            cmd.add("--enroll-token");
            cmd.add(enrollToken);
        }
        Path log = Files.createTempFile("opsbase-agent-", ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new AgentProcess(p, log);
    }

    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Kills it without warning (SIGKILL), as a crash or a power cut would. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** Stops it the way systemd does (SIGTERM), then waits. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
