package io.opsbase.agent.collectors;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads the kernel's text files under a root that is {@code /} on a host and a directory of
 * recorded files in tests, so every collector can be checked against real machines' output.
 */
public record ProcFiles(Path root) {

    public static ProcFiles host() {
        return new ProcFiles(Path.of("/"));
    }

    public String read(String path) throws IOException {
        return Files.readString(resolve(path), StandardCharsets.UTF_8);
    }

    public List<String> lines(String path) throws IOException {
        return Files.readAllLines(resolve(path), StandardCharsets.UTF_8);
    }

    public boolean exists(String path) {
        return Files.exists(resolve(path));
    }

    public Path resolve(String path) {
        return root.resolve(path.startsWith("/") ? path.substring(1) : path);
    }
}
