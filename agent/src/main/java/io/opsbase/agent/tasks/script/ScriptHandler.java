package io.opsbase.agent.tasks.script;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opsbase.agent.tasks.ProcessTree;
import io.opsbase.agent.tasks.TaskEnd;
import io.opsbase.agent.tasks.TaskHandler;
import io.opsbase.agent.tasks.TaskJournal;
import io.opsbase.agent.tasks.TaskOutput;
import io.opsbase.protocol.Task;

/**
 * Runs {@link Task#SCRIPT} tasks: bash, sh, python or powershell, whichever this host has.
 *
 * <ul>
 * <li>The script goes to a file in a fresh private directory (mode 0700, owned by the account it
 * runs as) under the system temp directory, deleted afterwards; it never appears on a command
 * line.</li>
 * <li>It runs under {@code setsid}, so it leads a session of its own: timeout and cancel kill the
 * whole process tree ({@link ProcessTree}), grandchildren included.</li>
 * <li>It runs as an allowed account ({@link Accounts}); standard input is {@code /dev/null}; the
 * environment is only {@code PATH}, {@code LANG}, {@code HOME} (when the agent's own account),
 * {@code OPSBASE_TASK_ID} and the task's {@code env.NAME} parameters — parameter values, secrets
 * among them, never reach a command line.</li>
 * <li>Output streams to the task's {@link TaskOutput}, which is flushed every {@link #FLUSH_EVERY}.
 * Past {@code timeoutSeconds} (default {@value #DEFAULT_TIMEOUT_SECONDS}) the tree is killed and the
 * task ends {@code timed-out}. A script that exits while processes it started still hold its output
 * open gets {@link #DRAIN_GRACE} for them to finish writing, then they are killed.</li>
 * </ul>
 *
 * Thread-safe: one instance runs any number of tasks at once.
 */
public final class ScriptHandler implements TaskHandler {

    public static final long DEFAULT_TIMEOUT_SECONDS = 3600;
    static final long MAX_TIMEOUT_SECONDS = 7 * 24 * 3600;
    static final Duration FLUSH_EVERY = Duration.ofMillis(500);
    static final Duration DRAIN_GRACE = Duration.ofSeconds(2);
    static final String ENV_PREFIX = "env.";

    private static final Logger LOG = LoggerFactory.getLogger(ScriptHandler.class);
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private final Interpreters interpreters;
    private final Accounts accounts;
    private final TaskJournal journal;
    private final Path tempRoot;

    /** {@code journal} records the script's pid, so what is left of it can be killed after an agent crash; may be null. */
    public ScriptHandler(Interpreters interpreters, Accounts accounts, TaskJournal journal, Path tempRoot) {
        this.interpreters = interpreters;
        this.accounts = accounts;
        this.journal = journal;
        this.tempRoot = tempRoot;
    }

    /** A task parameter that cannot be used; the task fails to start with this message. */
    private static final class BadParameterException extends Exception {
        BadParameterException(String message) {
            super(message);
        }
    }

    @Override
    public TaskEnd run(Task task, TaskOutput output) throws InterruptedException {
        var p = task.parameters();
        String script;
        long timeoutSeconds;
        Map<String, String> env;
        try {
            script = required(p, "script");
            timeoutSeconds = timeoutSeconds(p.get("timeoutSeconds"));
            env = environment(p);
        } catch (BadParameterException e) {
            return TaskEnd.failedToStart(e.getMessage());
        }
        var language = p.getOrDefault("language", "bash").trim();
        if (!Interpreters.isKnown(language)) {
            return TaskEnd.failedToStart("unknown script language " + language + "; this agent runs " + String.join(", ", Interpreters.known()));
        }
        var interpreter = interpreters.find(language);
        if (interpreter.isEmpty()) {
            return TaskEnd.failedToStart(language + " is not installed on this host: none of " + String.join(", ",
                    Interpreters.programsOf(language)) + " is on " + interpreters.searchPath());
        }
        var account = accounts.decide(p.get("account"));
        if (account instanceof Accounts.Decision.Refused(var reason)) {
            return TaskEnd.refused(reason);
        }
        var allowed = (Accounts.Decision.Allowed) account;
        Path dir = null;
        try {
            dir = privateDirectory(allowed.account());
            var file = dir.resolve("script" + interpreter.get().suffix());
            Files.writeString(file, script, StandardCharsets.UTF_8);
            ownBy(file, allowed.account(), "rw-------");
            var command = new ArrayList<String>();
            command.addAll(List.of(setsidProgram(), "-w"));
            command.addAll(allowed.prefix());
            command.addAll(interpreter.get().command(file));
            return runProcess(task, command, env, allowed, Duration.ofSeconds(timeoutSeconds), output);
        } catch (IOException e) {
            return TaskEnd.failedToStart("cannot prepare the script: " + e.getMessage());
        } finally {
            deleteQuietly(dir);
        }
    }

    private String setsidProgram() throws IOException {
        for (var dir : interpreters.searchPath().split(":")) {
            var candidate = Path.of(dir.isEmpty() ? "." : dir, "setsid");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new IOException("setsid (util-linux) is not on " + interpreters.searchPath() + "; without it a task's processes could not be stopped");
    }

    private TaskEnd runProcess(Task task, List<String> command, Map<String, String> env, Accounts.Decision.Allowed account,
            Duration timeout, TaskOutput output) throws InterruptedException, IOException {
        var builder = new ProcessBuilder(command).directory(new File("/")).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        var environment = builder.environment();
        environment.clear();
        environment.put("PATH", interpreters.searchPath());
        environment.put("LANG", "C.UTF-8");
        if (account.prefix().isEmpty()) {
            environment.put("HOME", System.getProperty("user.home"));
        }
        environment.put("OPSBASE_TASK_ID", task.taskId());
        environment.putAll(env);
        var started = System.nanoTime();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return TaskEnd.failedToStart("cannot start " + command.getFirst() + ": " + e.getMessage());
        }
        try {
            if (journal != null) {
                journal.processStarted(task.taskId(), process.pid(), process.info().startInstant().orElse(null));
            }
            var stdout = Thread.ofVirtual().name("task-" + task.taskId() + "-stdout").start(() -> pump(process.getInputStream(), output, true));
            var stderr = Thread.ofVirtual().name("task-" + task.taskId() + "-stderr").start(() -> pump(process.getErrorStream(), output, false));
            var deadline = started + timeout.toNanos();
            while (!process.waitFor(Math.min(FLUSH_EVERY.toNanos(), Math.max(0, deadline - System.nanoTime())), TimeUnit.NANOSECONDS)) {
                if (System.nanoTime() - deadline >= 0) {
                    var killed = ProcessTree.killSession(process.pid());
                    drain(stdout, stderr, process.pid());
                    return TaskEnd.timedOut("timed out after " + timeout.toSeconds() + " s; the script's " + killed
                            + " processes were killed");
                }
                output.flush();
            }
            var leftovers = drain(stdout, stderr, process.pid());
            var exitCode = process.exitValue();
            LOG.debug("task {}: the script exited with {} after {} ms", task.taskId(), exitCode, (System.nanoTime() - started) / 1_000_000);
            return leftovers == 0 ? TaskEnd.exited(exitCode)
                    : TaskEnd.exited(exitCode, "the script exited, but " + leftovers + " processes it started kept its output open; they were killed");
        } catch (InterruptedException e) {
            ProcessTree.killSession(process.pid());
            throw e;
        } finally {
            if (process.isAlive()) {
                ProcessTree.killSession(process.pid());
            }
        }
    }

    /** Waits for the readers to reach end of file; kills what still holds the pipes after the grace. Returns how many it killed. */
    private static int drain(Thread stdout, Thread stderr, long leaderPid) throws InterruptedException {
        stdout.join(DRAIN_GRACE);
        stderr.join(DRAIN_GRACE);
        var killed = 0;
        if (stdout.isAlive() || stderr.isAlive()) {
            killed = ProcessTree.killSession(leaderPid);
            stdout.join(DRAIN_GRACE);
            stderr.join(DRAIN_GRACE);
        }
        return killed;
    }

    private static void pump(InputStream in, TaskOutput output, boolean isStdout) {
        var buffer = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                if (isStdout) {
                    output.stdout(buffer, 0, n);
                } else {
                    output.stderr(buffer, 0, n);
                }
            }
        } catch (IOException e) {
            // The process was killed or closed its end: what was read is the output.
        }
    }

    private Path privateDirectory(String account) throws IOException {
        Files.createDirectories(tempRoot);
        var dir = POSIX ? Files.createTempDirectory(tempRoot, "opsbase-task-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")))
                : Files.createTempDirectory(tempRoot, "opsbase-task-");
        ownBy(dir, account, "rwx------");
        return dir;
    }

    /** Gives the script's directory and file to the account it runs as, readable by it alone (whatever the agent's umask). */
    private void ownBy(Path path, String account, String mode) throws IOException {
        if (!POSIX) {
            return;
        }
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
        if (!account.equals(accounts.agentAccount())) {
            Files.setOwner(path, path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(account));
        }
    }

    private void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var files = Files.walk(dir)) {
            for (var path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            LOG.warn("cannot delete the script directory {} ({})", dir, e.toString());
        }
    }

    private static String required(Map<String, String> p, String name) throws BadParameterException {
        var value = p.get(name);
        if (value == null) {
            throw new BadParameterException("the parameter " + name + " is missing");
        }
        return value;
    }

    static long timeoutSeconds(String given) throws BadParameterException {
        if (given == null || given.isBlank()) {
            return DEFAULT_TIMEOUT_SECONDS;
        }
        try {
            var seconds = Long.parseLong(given.trim());
            if (seconds < 1 || seconds > MAX_TIMEOUT_SECONDS) {
                throw new BadParameterException("timeoutSeconds must be between 1 and " + MAX_TIMEOUT_SECONDS + ", not " + given);
            }
            return seconds;
        } catch (NumberFormatException e) {
            throw new BadParameterException("timeoutSeconds must be a whole number of seconds, not " + given);
        }
    }

    /** The {@code env.NAME} parameters as variables; a name must be a shell identifier. */
    static Map<String, String> environment(Map<String, String> p) throws BadParameterException {
        var env = new LinkedHashMap<String, String>();
        for (var entry : p.entrySet()) {
            if (entry.getKey().startsWith(ENV_PREFIX)) {
                var name = entry.getKey().substring(ENV_PREFIX.length());
                if (!isIdentifier(name)) {
                    throw new BadParameterException("the environment variable name " + name + " is not a letter or _ followed by letters, digits or _");
                }
                env.put(name, entry.getValue());
            }
        }
        return env;
    }

    private static boolean isIdentifier(String name) {
        if (name.isEmpty() || Character.isDigit(name.charAt(0))) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            var c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_')) {
                return false;
            }
        }
        return true;
    }
}
