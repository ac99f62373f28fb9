package io.opsbase.agent.inventory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Collects the inventory in a short-lived child JVM ({@code opsbase-agent --collect-inventory}), which
 * also hashes it and writes the report ({@link CollectedInventory}), so the long-running agent never
 * loads OSHI, JNA or Jackson: their classes, native library and the collection's garbage would
 * otherwise stay in its resident set for good (see docs/agent.md, "Memory and JVM options"). The
 * child costs about 0.6 s of CPU and lives for a second or two, at start and at every inventory
 * check. Its JVM options are {@link #CHILD_OPTIONS}; its log goes to the agent's standard error.
 */
public final class InventoryCollectorProcess implements Supplier<CollectedInventory> {

    /** The child's JVM options: it lives for seconds, so start-up time matters more than footprint. */
    static final List<String> CHILD_OPTIONS = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData",
            "--enable-native-access=ALL-UNNAMED");
    static final Duration TIMEOUT = Duration.ofMinutes(5);

    private final List<String> command;

    public InventoryCollectorProcess(Path java, String classPath) {
        var command = new ArrayList<String>();
        command.add(java.toString());
        command.addAll(CHILD_OPTIONS);
        command.addAll(List.of("-cp", classPath, "io.opsbase.agent.AgentMain", "--collect-inventory"));
        this.command = List.copyOf(command);
    }

    /** The child runs on this process's own runtime and class path. */
    public static InventoryCollectorProcess sameRuntime() {
        return new InventoryCollectorProcess(Path.of(System.getProperty("java.home"), "bin", "java"), System.getProperty("java.class.path"));
    }

    @Override
    public CollectedInventory get() {
        try {
            var process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            process.getOutputStream().close();
            byte[] json;
            try (var out = process.getInputStream()) {
                json = out.readAllBytes();
            }
            if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("the inventory process did not finish within " + TIMEOUT);
            }
            if (process.exitValue() != 0) {
                throw new IOException("the inventory process exited with " + process.exitValue());
            }
            return CollectedInventory.decode(json);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot collect the inventory: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while collecting the inventory", e);
        } catch (RuntimeException e) {
            throw new IllegalStateException("the inventory process printed no valid inventory: " + e.getMessage(), e);
        }
    }
}
