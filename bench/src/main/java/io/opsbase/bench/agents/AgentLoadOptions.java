package io.opsbase.bench.agents;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of {@code agent-load}; see {@link #USAGE}. Without {@code --server} the run
 * starts the server jar itself.
 */
record AgentLoadOptions(int agents, URI server, String adminToken, String adminUser, Path serverJar, Path dataDir,
        String serverHeap, List<String> serverJvmArgs, List<String> serverArgs, int concurrency, int reportSeconds, int reportConcurrency,
        int pollWait, int holdSeconds, int pings, long seed) {

    static final String USAGE = """
            agent-load [--agents N] [--server URL --admin-token TOKEN | --server-jar JAR] [options]
              --agents N               simulated agents (default 50)
              --server URL             use a running server (admin token from --admin-token or $OPSBASE_ADMIN_TOKEN,
                                       or password from $OPSBASE_ADMIN_PASSWORD); default: start --server-jar
              --server-jar JAR         default server/target/opsbase-server.jar, started with a fresh --data-dir
              --data-dir DIR           the child server's data directory (default /tmp/opsbase-agent-load-<run id>)
              --server-heap SIZE       the child server's -Xmx (default 1g)
              --server-jvm-arg ARG     a JVM option for the child server, repeatable (e.g. -XX:StartFlightRecording=...)
              --server-arg ARG         passed on to the child server, repeatable (e.g. --spring.datasource.url=...)
              --concurrency N          enrollments + first inventories in flight (default 100)
              --report-seconds S       length of the changed-inventory phase (default 30)
              --report-concurrency N   changed inventories in flight (default 16)
              --poll-wait S            the long-poll's wait parameter (default 30, as the agent)
              --hold-seconds S         how long the held long-polls are watched before the report phase (default 20)
              --pings N                ping tasks sent to sample agents while their polls are held (default 20)
              --seed N                 seed of the simulated hardware (default 1)""";

    static AgentLoadOptions parse(String[] args) {
        if (java.util.Arrays.asList(args).contains("--help")) {
            System.out.println(USAGE);
            System.exit(0);
        }
        int agents = 50;
        URI server = null;
        String adminToken = System.getenv("OPSBASE_ADMIN_TOKEN");
        String adminUser = "admin";
        Path jar = Path.of("server/target/opsbase-server.jar");
        Path dataDir = null;
        String heap = "1g";
        List<String> serverJvmArgs = new ArrayList<>();
        List<String> serverArgs = new ArrayList<>();
        int concurrency = 100;
        int reportSeconds = 30;
        int reportConcurrency = 16;
        int pollWait = 30;
        int holdSeconds = 20;
        int pings = 20;
        long seed = 1;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            if (value == null) {
                throw new IllegalArgumentException(args[i] + " needs a value\n" + USAGE);
            }
            switch (args[i++]) {
                case "--agents" -> agents = positive(value);
                case "--server" -> server = URI.create(value);
                case "--admin-token" -> adminToken = value;
                case "--admin-user" -> adminUser = value;
                case "--server-jar" -> jar = Path.of(value);
                case "--data-dir" -> dataDir = Path.of(value);
                case "--server-heap" -> heap = value;
                case "--server-arg" -> serverArgs.add(value);
                case "--server-jvm-arg" -> serverJvmArgs.add(value);
                case "--concurrency" -> concurrency = positive(value);
                case "--report-seconds" -> reportSeconds = Integer.parseInt(value);
                case "--report-concurrency" -> reportConcurrency = positive(value);
                case "--poll-wait" -> pollWait = Integer.parseInt(value);
                case "--hold-seconds" -> holdSeconds = Integer.parseInt(value);
                case "--pings" -> pings = Integer.parseInt(value);
                case "--seed" -> seed = Long.parseLong(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i - 1] + "\n" + USAGE);
            }
        }
        if (pollWait < 1 || pollWait > 60) {
            throw new IllegalArgumentException("--poll-wait must be 1-60 seconds (the server's limit)");
        }
        return new AgentLoadOptions(agents, server, adminToken, adminUser, jar, dataDir, heap, List.copyOf(serverJvmArgs), List.copyOf(serverArgs),
                concurrency, reportSeconds, reportConcurrency, pollWait, holdSeconds, pings, seed);
    }

    private static int positive(String value) {
        int n = Integer.parseInt(value);
        if (n < 1) {
            throw new IllegalArgumentException("expected a positive number, got " + value);
        }
        return n;
    }
}
