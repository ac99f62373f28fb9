package io.opsbase.bench.agents;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command line of {@code metrics-load}; see {@link #USAGE}. */
record MetricsLoadOptions(int agents, int series, double intervalSeconds, int durationSeconds, boolean ceiling,
        int stepSeconds, double stepFactor, Path serverJar, Path dataDir, String serverHeap, List<String> serverJvmArgs,
        List<String> serverArgs, int concurrency, int pollWait, long seed) {

    static final String USAGE = """
            metrics-load [--agents N] [--series S] [--interval SEC] [--duration SEC] [--ceiling] [options]
              --agents N             simulated agents (default 1000); each enrols, reports its inventory (auto-approved
                                     into a CI), fetches its configuration with ETag and holds its long-poll
              --series S             series per agent (default 100)
              --interval SEC         collection interval (default 10); rate = agents × series / interval
              --duration SEC         length of the measured run (default 60)
              --ceiling              step the rate up (interval ÷ --step-factor each step) until the delivery p99
                                     passes 1 s or the server no longer keeps up; prints every step
              --step-seconds S       length of a ceiling step (default 60)
              --step-factor F        rate increase per ceiling step (default 1.5)
              --server-jar JAR       default server/target/opsbase-server.jar, started with a fresh --data-dir
              --data-dir DIR         the child server's data directory (default /tmp/opsbase-metrics-load-<pid>)
              --server-heap SIZE     the child server's -Xmx (default 1g)
              --server-jvm-arg ARG   a JVM option for the child server, repeatable (e.g. -XX:StartFlightRecording=...)
              --server-arg ARG       passed on to the child server, repeatable
              --concurrency N        enrolments in flight (default 100)
              --poll-wait S          the long-poll's wait (default 30)
              --seed N               seed of the simulated hardware (default 1)
            The server is always a child here: at the end it is stopped and its metrics-store opened by this
            process to count every acknowledged sample back.""";

    static MetricsLoadOptions parse(String[] args) {
        if (java.util.Arrays.asList(args).contains("--help")) {
            System.out.println(USAGE);
            System.exit(0);
        }
        int agents = 1000;
        int series = 100;
        double interval = 10;
        int duration = 60;
        boolean ceiling = false;
        int stepSeconds = 60;
        double stepFactor = 1.5;
        Path jar = Path.of("server/target/opsbase-server.jar");
        Path dataDir = null;
        String heap = "1g";
        List<String> jvmArgs = new ArrayList<>();
        List<String> serverArgs = new ArrayList<>();
        int concurrency = 100;
        int pollWait = 30;
        long seed = 1;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--ceiling")) {
                ceiling = true;
                continue;
            }
            String value = i + 1 < args.length ? args[i + 1] : null;
            if (value == null) {
                throw new IllegalArgumentException(args[i] + " needs a value\n" + USAGE);
            }
            switch (args[i++]) {
                case "--agents" -> agents = Integer.parseInt(value);
                case "--series" -> series = Integer.parseInt(value);
                case "--interval" -> interval = Double.parseDouble(value);
                case "--duration" -> duration = Integer.parseInt(value);
                case "--step-seconds" -> stepSeconds = Integer.parseInt(value);
                case "--step-factor" -> stepFactor = Double.parseDouble(value);
                case "--server-jar" -> jar = Path.of(value);
                case "--data-dir" -> dataDir = Path.of(value);
                case "--server-heap" -> heap = value;
                case "--server-jvm-arg" -> jvmArgs.add(value);
                case "--server-arg" -> serverArgs.add(value);
                case "--concurrency" -> concurrency = Integer.parseInt(value);
                case "--poll-wait" -> pollWait = Integer.parseInt(value);
                case "--seed" -> seed = Long.parseLong(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i - 1] + "\n" + USAGE);
            }
        }
        if (agents < 1 || series < 1 || interval <= 0 || duration < 1 || stepFactor <= 1) {
            throw new IllegalArgumentException("--agents, --series, --interval, --duration must be positive, --step-factor > 1");
        }
        return new MetricsLoadOptions(agents, series, interval, duration, ceiling, stepSeconds, stepFactor, jar, dataDir, heap,
                List.copyOf(jvmArgs), List.copyOf(serverArgs), concurrency, pollWait, seed);
    }
}
