package io.opsbase.agent.inventory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The systemd/D-Bus machine id: 32 hex characters, fixed at OS installation. It survives renames
 * and hardware changes but not reinstalls, and cloned images share it — so it is evidence, not
 * identity.
 */
public final class MachineId {

    public static final List<Path> LOCATIONS = List.of(Path.of("/etc/machine-id"), Path.of("/var/lib/dbus/machine-id"));
    private static final Pattern VALID = Pattern.compile("[0-9a-f]{32}");

    private MachineId() {
    }

    public static Optional<String> read(List<Path> locations) {
        for (var location : locations) {
            try {
                var parsed = parse(Files.readString(location));
                if (parsed.isPresent()) {
                    return parsed;
                }
            } catch (IOException e) {
                continue;
            }
        }
        return Optional.empty();
    }

    /** The id in a machine-id file's content; empty for the "uninitialized" marker or garbage. */
    public static Optional<String> parse(String content) {
        var id = content.strip().toLowerCase(Locale.ROOT);
        return VALID.matcher(id).matches() && !id.equals("0".repeat(32)) ? Optional.of(id) : Optional.empty();
    }
}
