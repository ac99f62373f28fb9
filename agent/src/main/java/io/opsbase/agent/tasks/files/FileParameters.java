package io.opsbase.agent.tasks.files;

import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/** Reads and checks the parameters of file tasks; a bad one throws {@link IllegalArgumentException} saying which and why. */
final class FileParameters {

    private static final PosixFilePermission[] BITS = {
        PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};

    private FileParameters() {
    }

    static FileTaskHandler.Request request(Map<String, String> p) {
        var sha256 = sha256(p.get("sha256"));
        var size = size(p.get("size"));
        var target = absolutePath(p.get("path"));
        if (target.getFileName() == null) {
            throw new IllegalArgumentException("path must name a file, not " + target);
        }
        return new FileTaskHandler.Request(sha256, size, target, mode(p.get("mode")), blankToNull(p.get("owner")), blankToNull(p.get("group")));
    }

    static String sha256(String given) {
        if (given == null || given.length() != 64 || !given.chars().allMatch(c -> c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
            throw new IllegalArgumentException("sha256 must be 64 lower-case hex characters, not " + given);
        }
        return given;
    }

    static Path absolutePath(String given) {
        if (given == null || given.isBlank() || given.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("the parameter path is missing");
        }
        var path = Path.of(given).normalize();
        if (!path.isAbsolute()) {
            throw new IllegalArgumentException("path must be absolute, not " + given);
        }
        return path;
    }

    private static long size(String given) {
        try {
            var size = Long.parseLong(given == null ? "" : given.trim());
            if (size >= 0) {
                return size;
            }
        } catch (NumberFormatException e) {
            // falls through to the message
        }
        throw new IllegalArgumentException("size must be a whole number of bytes, not " + given);
    }

    /** Octal, 3 or 4 digits ({@code 644}, {@code 0755}); set-id and sticky bits are not supported. */
    static Set<PosixFilePermission> mode(String given) {
        if (given == null || given.isBlank()) {
            return null;
        }
        var text = given.trim();
        if (text.length() == 4 && text.charAt(0) == '0') {
            text = text.substring(1);
        }
        if (text.length() != 3 || !text.chars().allMatch(c -> c >= '0' && c <= '7')) {
            throw new IllegalArgumentException("mode must be octal like 0644, not " + given);
        }
        var bits = Integer.parseInt(text, 8);
        var mode = EnumSet.noneOf(PosixFilePermission.class);
        for (int i = 0; i < BITS.length; i++) {
            if ((bits & (1 << i)) != 0) {
                mode.add(BITS[i]);
            }
        }
        return mode;
    }

    private static String blankToNull(String given) {
        return given == null || given.isBlank() ? null : given.trim();
    }
}
