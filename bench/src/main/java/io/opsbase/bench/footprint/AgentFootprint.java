package io.opsbase.bench.footprint;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code agent-footprint}: the agent's idle memory and CPU next to Debian's
 * {@code prometheus-node-exporter}, in one run on this machine.
 *
 * <p>Starts the server jar with a fresh data directory, installs the agent the way
 * {@code install-agent.sh} does — the launcher and {@code opsbase-agent.jvmopts} fetched from the
 * server's {@code /install/}, next to the agent jar and a {@code java} link — so what runs is the
 * shipped configuration, enrolls it with an auto-approving token, waits until its first inventory
 * is delivered and the warm-up has passed, starts the node exporter on a free loopback port, and
 * then samples both processes from {@code /proc} for the window: RSS, PSS and CPU (utime + stime)
 * in percent of one core. Neither process is sent work during the window: the agent holds its
 * long-poll (its idle state), the node exporter is not scraped.
 */
public final class AgentFootprint {

    private static final Path NODE_EXPORTER = Path.of("/usr/bin/prometheus-node-exporter");

    private AgentFootprint() {
    }

    public static void main(String[] args) throws Exception {
        var agentJar = Path.of(option(args, "--agent-jar", "agent/target/opsbase-agent.jar"));
        var serverJar = Path.of(option(args, "--server-jar", "server/target/opsbase-server.jar"));
        var window = Duration.ofSeconds(Math.round(Double.parseDouble(option(args, "--minutes", "5")) * 60));
        var warmUp = Duration.ofSeconds(Long.parseLong(option(args, "--warmup-seconds", "120")));
        var every = Duration.ofSeconds(Long.parseLong(option(args, "--sample-seconds", "10")));
        var nodeExporter = Path.of(option(args, "--node-exporter", NODE_EXPORTER.toString()));
        var java = option(args, "--java", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        requireFile(agentJar, "the agent jar (build it: ./mvnw -B -q -pl agent,server -am package -DskipTests)");
        requireFile(serverJar, "the server jar");
        if (!Files.isExecutable(nodeExporter)) {
            throw new IllegalStateException(nodeExporter + " is missing or not executable: install Debian's prometheus-node-exporter "
                    + "(apt-get install prometheus-node-exporter) or pass --node-exporter PATH");
        }

        var dir = Files.createTempDirectory("opsbase-agent-footprint-");
        System.out.println("work directory " + dir + " (server.log, agent.log, node-exporter.log)");
        var processes = new ArrayList<Process>();
        try (var server = OpsbaseServerProcess.start(java, serverJar, dir, freePort())) {
            try {
                server.awaitReady(Duration.ofMinutes(3));
                var install = installAgent(server, agentJar, Path.of(java), dir.resolve("opt"));
                var agent = startAgent(install, server, dir);
                processes.add(agent);
                awaitFirstInventory(dir.resolve("agent-state"), agent, Duration.ofMinutes(2));
                System.out.printf("agent pid %d enrolled and reported its inventory; warming up for %d s%n", agent.pid(), warmUp.toSeconds());
                Thread.sleep(warmUp.toMillis());
                var exporterPort = freePort();
                var exporter = new ProcessBuilder(nodeExporter.toString(), "--web.listen-address=127.0.0.1:" + exporterPort)
                        .redirectErrorStream(true).redirectOutput(dir.resolve("node-exporter.log").toFile()).start();
                processes.add(exporter);
                Thread.sleep(5_000);
                requireAlive(exporter, "prometheus-node-exporter", dir.resolve("node-exporter.log"));

                var result = sample(agent, exporter, window, every);
                requireAlive(agent, "the agent", dir.resolve("agent.log"));
                var agents = server.agents();
                if (!agents.contains("\"status\":\"online\"")) {
                    throw new IllegalStateException("the server does not list the agent as online after the window: " + agents);
                }
                result.print(System.out, java, nodeExporter);
            } finally {
                // The agent and the exporter stop before the server, so the agent logs no refused connection.
                for (var process : processes.reversed()) {
                    process.destroy();
                    if (!process.waitFor(20, TimeUnit.SECONDS)) {
                        process.destroyForcibly();
                    }
                }
            }
        }
    }

    /** Lays out an install directory as install-agent.sh does, with the files the server serves. */
    private static Path installAgent(OpsbaseServerProcess server, Path agentJar, Path java, Path prefix) throws Exception {
        Files.createDirectories(prefix);
        var launcher = prefix.resolve("opsbase-agent");
        Files.write(launcher, server.installFile("opsbase-agent"));
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.write(prefix.resolve("opsbase-agent.jvmopts"), server.installFile("opsbase-agent.jvmopts"));
        Files.copy(agentJar, prefix.resolve("opsbase-agent.jar"));
        Files.createSymbolicLink(prefix.resolve("java"), java.toAbsolutePath());
        return launcher;
    }

    private static Process startAgent(Path launcher, OpsbaseServerProcess server, Path dir) throws Exception {
        var builder = new ProcessBuilder(launcher.toString(), "--server", server.base().toString(), "--state-dir",
                dir.resolve("agent-state").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("agent.log").toFile());
        builder.environment().remove("MALLOC_ARENA_MAX");
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        builder.environment().remove("JDK_JAVA_OPTIONS");
        builder.environment().put("OPSBASE_ENROLL_TOKEN", server.enrollmentToken());
        return builder.start();
    }

    /** Waits until the first inventory left the outbox: the server acknowledged it. */
    private static void awaitFirstInventory(Path stateDir, Process agent, Duration timeout) throws Exception {
        var deadline = System.nanoTime() + timeout.toNanos();
        var inventoryState = stateDir.resolve("inventory-state.json");
        var outbox = stateDir.resolve("outbox");
        while (System.nanoTime() < deadline) {
            requireAlive(agent, "the agent", stateDir.resolveSibling("agent.log"));
            if (Files.exists(inventoryState) && entries(outbox) == 0) {
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the agent did not deliver its first inventory within " + timeout + "; see agent.log");
    }

    private static long entries(Path outbox) throws IOException {
        if (!Files.isDirectory(outbox)) {
            return -1;
        }
        try (var files = Files.list(outbox)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".entry")).count();
        }
    }

    private static FootprintResult sample(Process agent, Process exporter, Duration window, Duration every) throws Exception {
        var loadBefore = loadAverage();
        var agentStart = ProcessUsage.read(agent.pid());
        var exporterStart = ProcessUsage.read(exporter.pid());
        var rows = new ArrayList<FootprintResult.Row>();
        var previousAgent = agentStart;
        var previousExporter = exporterStart;
        var started = Instant.now();
        var end = System.nanoTime() + window.toNanos();
        System.out.printf("sampling every %d s for %d s%n", every.toSeconds(), window.toSeconds());
        FootprintResult.printHeader(System.out);
        while (System.nanoTime() < end) {
            Thread.sleep(Math.min(every.toMillis(), Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()))));
            var agentNow = ProcessUsage.read(agent.pid());
            var exporterNow = ProcessUsage.read(exporter.pid());
            var row = new FootprintResult.Row(Duration.between(started, Instant.now()), agentNow, agentNow.cpuPercentSince(previousAgent),
                    exporterNow, exporterNow.cpuPercentSince(previousExporter));
            row.print(System.out);
            rows.add(row);
            previousAgent = agentNow;
            previousExporter = exporterNow;
        }
        return new FootprintResult(List.copyOf(rows), previousAgent.cpuPercentSince(agentStart),
                previousExporter.cpuPercentSince(exporterStart), loadBefore, loadAverage(), Files.readAllLines(Path.of("/proc/cpuinfo"))
                        .stream().filter(l -> l.startsWith("model name")).findFirst().map(l -> l.substring(l.indexOf(':') + 2)).orElse("?"),
                Runtime.getRuntime().availableProcessors());
    }

    private static String loadAverage() throws IOException {
        var fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return fields[0] + " " + fields[1] + " " + fields[2];
    }

    private static void requireAlive(Process process, String what, Path log) throws IOException {
        if (!process.isAlive()) {
            throw new IllegalStateException(what + " exited with " + process.exitValue() + "; last lines of " + log + ":\n"
                    + String.join("\n", lastLines(log, 20)));
        }
    }

    private static List<String> lastLines(Path log, int count) throws IOException {
        var lines = Files.readAllLines(log);
        return lines.subList(Math.max(0, lines.size() - count), lines.size());
    }

    private static void requireFile(Path file, String what) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + " does not exist: " + what);
        }
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String option(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
