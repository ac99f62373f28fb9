package io.opsbase.agent.tasks.script;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The script languages a task may ask for and the programs that run them, found on a search path
 * (the agent's fixed {@code PATH}, not its own environment's). Each language names its programs in
 * order of preference: {@code python} is {@code python3}, else {@code python}; {@code powershell}
 * is {@code pwsh} (PowerShell 7), else {@code powershell}.
 */
public final class Interpreters {

    /** The search path scripts run with, and on which interpreters are looked up. */
    public static final String STANDARD_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /** A language's program names, the arguments before the script file, and the script file's suffix. */
    private record Language(String name, List<String> programs, List<String> arguments, String suffix) {
    }

    private static final List<Language> LANGUAGES = List.of(
            new Language("bash", List.of("bash"), List.of(), ".sh"),
            new Language("sh", List.of("sh"), List.of(), ".sh"),
            new Language("python", List.of("python3", "python"), List.of("-u"), ".py"),
            new Language("powershell", List.of("pwsh", "powershell"), List.of("-NoLogo", "-NoProfile", "-NonInteractive", "-File"), ".ps1"));

    /** How to run a script of one language on this host. */
    public record Interpreter(String language, Path program, List<String> arguments, String suffix) {

        /** The command line that runs {@code script}. */
        public List<String> command(Path script) {
            var command = new ArrayList<String>();
            command.add(program.toString());
            command.addAll(arguments);
            command.add(script.toString());
            return command;
        }
    }

    private final String searchPath;

    public Interpreters(String searchPath) {
        this.searchPath = searchPath;
    }

    public static Interpreters standard() {
        return new Interpreters(STANDARD_PATH);
    }

    public String searchPath() {
        return searchPath;
    }

    /** Whether the language is one a task may name at all. */
    public static boolean isKnown(String language) {
        return LANGUAGES.stream().anyMatch(l -> l.name().equals(language));
    }

    public static List<String> known() {
        return LANGUAGES.stream().map(Language::name).toList();
    }

    /** The program for {@code language}, or empty when the host has none of its programs. */
    public Optional<Interpreter> find(String language) {
        for (var l : LANGUAGES) {
            if (l.name().equals(language)) {
                for (var program : l.programs()) {
                    var found = onPath(program);
                    if (found.isPresent()) {
                        return Optional.of(new Interpreter(language, found.get(), l.arguments(), l.suffix()));
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** The programs a language would use, for the message when none is installed. */
    public static List<String> programsOf(String language) {
        return LANGUAGES.stream().filter(l -> l.name().equals(language)).findFirst().map(Language::programs).orElse(List.of());
    }

    private Optional<Path> onPath(String program) {
        for (var dir : searchPath.split(":")) {
            if (!dir.isEmpty()) {
                var candidate = Path.of(dir, program);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }
}
