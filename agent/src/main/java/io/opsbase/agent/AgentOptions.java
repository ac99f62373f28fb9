package io.opsbase.agent;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The command line:
 *
 * <pre>
 * java -jar opsbase-agent.jar --server URL [--enroll-token TOKEN] [--state-dir DIR] [--task-accounts A,B]
 *                               [--task-concurrency N] [--print-inventory]
 * </pre>
 *
 * The token may also come from the environment variable {@value #TOKEN_VARIABLE} (the systemd unit
 * passes it that way, so it never shows in the process list). It is needed only until the agent has
 * enrolled.
 */
public record AgentOptions(URI server, Optional<String> enrollToken, Path stateDir, boolean printInventory, boolean collectInventory,
        List<String> taskAccounts, int taskConcurrency) {

    public static final String TOKEN_VARIABLE = "OPSBASE_ENROLL_TOKEN";
    public static final Path DEFAULT_STATE_DIR = Path.of("/var/lib/opsbase-agent");
    public static final int DEFAULT_TASK_CONCURRENCY = 8;

    public static final String USAGE = """
            usage: java -jar opsbase-agent.jar --server URL [--enroll-token TOKEN] [--state-dir DIR]
                   java -jar opsbase-agent.jar --print-inventory
              --server URL          the Opsbase server, e.g. https://opsbase.example.net
              --enroll-token TOKEN  one-time enrollment token (or $OPSBASE_ENROLL_TOKEN); only needed until enrolled
              --state-dir DIR       where the agent keeps its identity and outbox (default /var/lib/opsbase-agent)
              --task-accounts A,B   OS accounts scripts may run as; the first is the default (default: the agent's own)
              --task-concurrency N  tasks that run at once; more wait for a slot (default 8)
              --print-inventory     print this host's inventory as JSON and exit
            """;

    public AgentOptions {
        taskAccounts = List.copyOf(taskAccounts);
    }

    /** Options with the task defaults: scripts run as the agent's own account, {@value #DEFAULT_TASK_CONCURRENCY} at once. */
    public AgentOptions(URI server, Optional<String> enrollToken, Path stateDir, boolean printInventory, boolean collectInventory) {
        this(server, enrollToken, stateDir, printInventory, collectInventory, List.of(), DEFAULT_TASK_CONCURRENCY);
    }

    /** A command line the agent cannot run with; the message says what is wrong. */
    public static final class InvalidOptionsException extends Exception {
        public InvalidOptionsException(String message) {
            super(message);
        }
    }

    public static AgentOptions parse(String[] args, java.util.Map<String, String> environment) throws InvalidOptionsException {
        URI server = null;
        String token = null;
        Path stateDir = DEFAULT_STATE_DIR;
        var printInventory = false;
        var collectInventory = false;
        List<String> taskAccounts = List.of();
        var taskConcurrency = DEFAULT_TASK_CONCURRENCY;
        for (int i = 0; i < args.length; i++) {
            var arg = args[i];
            switch (arg) {
                case "--server" -> server = uri(value(args, ++i, arg));
                case "--enroll-token" -> token = value(args, ++i, arg);
                case "--state-dir" -> stateDir = Path.of(value(args, ++i, arg));
                case "--print-inventory" -> printInventory = true;
                case "--task-accounts" -> taskAccounts = accounts(value(args, ++i, arg));
                case "--task-concurrency" -> taskConcurrency = positive(value(args, ++i, arg), arg);
                // Internal: what the agent runs in its short-lived inventory process (InventoryCollectorProcess).
                case "--collect-inventory" -> collectInventory = true;
                default -> throw new InvalidOptionsException("unknown option " + arg);
            }
        }
        if (token == null) {
            token = environment.get(TOKEN_VARIABLE);
        }
        if (server == null && !printInventory && !collectInventory) {
            throw new InvalidOptionsException("--server is required");
        }
        return new AgentOptions(server, Optional.ofNullable(token).filter(t -> !t.isBlank()), stateDir, printInventory, collectInventory,
                taskAccounts, taskConcurrency);
    }

    private static List<String> accounts(String text) throws InvalidOptionsException {
        var accounts = new ArrayList<String>();
        for (var part : text.split(",")) {
            var name = part.trim();
            if (name.isEmpty() || name.startsWith("-")) {
                throw new InvalidOptionsException("--task-accounts takes account names separated by commas: " + text);
            }
            accounts.add(name);
        }
        return accounts;
    }

    private static int positive(String text, String option) throws InvalidOptionsException {
        try {
            var n = Integer.parseInt(text);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // falls through to the message
        }
        throw new InvalidOptionsException(option + " must be a whole number of at least 1: " + text);
    }

    private static String value(String[] args, int index, String option) throws InvalidOptionsException {
        if (index >= args.length || args[index].startsWith("--")) {
            throw new InvalidOptionsException(option + " needs a value");
        }
        return args[index];
    }

    private static URI uri(String text) throws InvalidOptionsException {
        try {
            // One spelling per server, so the state file's serverUrl matches however the URL was typed.
            var uri = URI.create(withoutTrailingSlashes(text));
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new InvalidOptionsException("--server must be an http or https URL: " + text);
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new InvalidOptionsException("--server must be an http or https URL: " + text);
        }
    }

    /** {@code text} without trailing slashes (no regular expression: the running agent loads no regex classes). */
    public static String withoutTrailingSlashes(String text) {
        var end = text.length();
        while (end > 0 && text.charAt(end - 1) == '/') {
            end--;
        }
        return text.substring(0, end);
    }

    @Override
    public String toString() {
        return "AgentOptions[server=" + server + ", enrollToken=" + enrollToken.map(t -> "(given)").orElse("(none)")
                + ", stateDir=" + stateDir + ", taskAccounts=" + (taskAccounts.isEmpty() ? "(the agent's own)" : taskAccounts)
                + ", taskConcurrency=" + taskConcurrency + "]";
    }
}
