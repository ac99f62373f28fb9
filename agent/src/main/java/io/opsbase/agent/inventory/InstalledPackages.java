package io.opsbase.agent.inventory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opsbase.protocol.inventory.InstalledPackage;

/** Lists the installed packages through dpkg or rpm, whichever the host has. */
public final class InstalledPackages {

    /** The package manager's name and its packages; an unknown manager gives {@code null} and no packages. */
    public record Listing(String manager, List<InstalledPackage> packages) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(InstalledPackages.class);
    private static final Duration TIMEOUT = Duration.ofMinutes(1);

    private InstalledPackages() {
    }

    public static Listing collect() {
        if (onPath("dpkg-query")) {
            return new Listing("dpkg", run(PackageLists.DPKG_COMMAND));
        }
        if (onPath("rpm")) {
            return new Listing("rpm", run(PackageLists.RPM_COMMAND));
        }
        return new Listing(null, List.of());
    }

    private static boolean onPath(String command) {
        var path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (var dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    private static List<InstalledPackage> run(List<String> command) {
        try {
            var output = Files.createTempFile("opsbase-packages", ".txt");
            try {
                var process = new ProcessBuilder(command).redirectErrorStream(false)
                        .redirectOutput(output.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
                if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    LOG.warn("inventory: {} did not finish within {}; packages left out", command.getFirst(), TIMEOUT);
                    return List.of();
                }
                if (process.exitValue() != 0) {
                    LOG.warn("inventory: {} exited with {}; packages left out", command.getFirst(), process.exitValue());
                    return List.of();
                }
                return PackageLists.parse(Files.readString(output, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            LOG.warn("inventory: cannot run {} ({}); packages left out", command.getFirst(), e.toString());
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }
}
