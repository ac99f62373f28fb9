package io.opsbase.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.opsbase.platform.InvalidInputException.FieldViolation;

/**
 * One step of a job.
 *
 * @param kind           {@code script}, {@code file} or {@code confirm} (the run waits for a permitted user)
 * @param language       bash, sh, python or powershell (script steps)
 * @param script         the script; {@code {{name}}} placeholders take parameter values at run start
 * @param timeoutSeconds per host; the agent kills the task after it and reports timed-out
 * @param file           what a file step distributes
 */
public record JobStep(String kind, String name, String language, String script, Integer timeoutSeconds, FileSpec file) {

    public static final int DEFAULT_TIMEOUT = 600;
    public static final int MAX_TIMEOUT = 86_400;
    static final Set<String> KINDS = Set.of("script", "file", "confirm");
    static final Set<String> LANGUAGES = Set.of("bash", "sh", "python", "powershell");
    static final int MAX_SCRIPT = 256 * 1024;

    public JobStep {
        kind = kind == null || kind.isBlank() ? "script" : kind;
        if ("script".equals(kind) && (language == null || language.isBlank())) {
            language = "bash";
        }
    }

    /**
     * A file to put in place on each host: either from the file store ({@code sha256}, {@code size})
     * or from one host to the others ({@code source}: when the step starts, that host's agent
     * uploads the file to the store and the run records its SHA-256; then every target downloads
     * and verifies it as a store file). {@code mode} is octal, e.g. 0644.
     */
    public record FileSpec(String sha256, Long size, String path, String mode, String owner, String group, FileSource source) {

        /** The store form, without a source host. */
        public FileSpec(String sha256, Long size, String path, String mode, String owner, String group) {
            this(sha256, size, path, mode, owner, group, null);
        }

        public boolean fromHost() {
            return source != null;
        }
    }

    /** A file on one host: its CI and the absolute path there. */
    public record FileSource(Long ciId, String path) {
    }

    public int timeout() {
        return timeoutSeconds == null ? DEFAULT_TIMEOUT : timeoutSeconds;
    }

    public List<FieldViolation> violations(String prefix) {
        List<FieldViolation> v = new ArrayList<>();
        if (!KINDS.contains(kind)) {
            v.add(new FieldViolation(prefix + "kind", "must be script, file or confirm"));
            return v;
        }
        if (name != null && name.length() > 200) {
            v.add(new FieldViolation(prefix + "name", "must be at most 200 characters"));
        }
        if (timeoutSeconds != null && (timeoutSeconds < 1 || timeoutSeconds > MAX_TIMEOUT)) {
            v.add(new FieldViolation(prefix + "timeoutSeconds", "must be between 1 and " + MAX_TIMEOUT));
        }
        if ("script".equals(kind)) {
            if (!LANGUAGES.contains(language)) {
                v.add(new FieldViolation(prefix + "language", "must be bash, sh, python or powershell"));
            }
            if (script == null || script.isBlank()) {
                v.add(new FieldViolation(prefix + "script", "is required"));
            } else if (script.length() > MAX_SCRIPT) {
                v.add(new FieldViolation(prefix + "script", "must be at most " + MAX_SCRIPT + " characters"));
            }
        }
        if ("file".equals(kind)) {
            if (file == null) {
                v.add(new FieldViolation(prefix + "file", "is required for a file step"));
            } else {
                if (file.source() != null) {
                    if (file.sha256() != null || file.size() != null) {
                        v.add(new FieldViolation(prefix + "file.source", "give either sha256 (a stored file) or source (a host's file), not both"));
                    }
                    if (file.source().ciId() == null || file.source().ciId() <= 0) {
                        v.add(new FieldViolation(prefix + "file.source.ciId", "is required: the CI id of the host that has the file"));
                    }
                    if (!absolute(file.source().path())) {
                        v.add(new FieldViolation(prefix + "file.source.path", "must be an absolute path"));
                    }
                } else if (file.sha256() == null || !file.sha256().matches("[0-9a-f]{64}")) {
                    v.add(new FieldViolation(prefix + "file.sha256", "must be 64 lower-case hex digits"));
                }
                if (!absolute(file.path())) {
                    v.add(new FieldViolation(prefix + "file.path", "must be an absolute path"));
                }
                if (file.mode() != null && !file.mode().matches("0?[0-7]{3,4}")) {
                    v.add(new FieldViolation(prefix + "file.mode", "must be octal, e.g. 0644"));
                }
            }
        }
        return v;
    }

    private static boolean absolute(String path) {
        return path != null && (path.startsWith("/") || path.matches("[A-Za-z]:\\\\.*"));
    }
}
