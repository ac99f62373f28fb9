package io.opsbase.bench.agents;

import java.util.Optional;

/**
 * Wall time and CPU of one phase of a run: the server's CPU (a child server, from {@code /proc})
 * and the load generator's own, both as cores kept busy on average, plus the load average at the
 * end — on a shared two-core machine none of the figures means much without the others.
 */
final class PhaseClock {

    private final ServerUnderTest server;
    private final long self = ProcessHandle.current().pid();
    private long startNanos;
    private Optional<ProcessStats> serverAtStart = Optional.empty();
    private ProcessStats selfAtStart;

    PhaseClock(ServerUnderTest server) {
        this.server = server;
    }

    void start() {
        startNanos = System.nanoTime();
        serverAtStart = server.stats();
        selfAtStart = ProcessStats.of(self);
    }

    Phase stop() {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        Optional<ProcessStats> serverNow = server.stats();
        Double serverCores = serverAtStart.isPresent() && serverNow.isPresent()
                ? (serverNow.get().cpuSeconds() - serverAtStart.get().cpuSeconds()) / seconds : null;
        double selfCores = (ProcessStats.of(self).cpuSeconds() - selfAtStart.cpuSeconds()) / seconds;
        return new Phase(seconds, serverCores, serverNow.map(ProcessStats::rssBytes).orElse(null), selfCores,
                ProcessStats.loadAverage());
    }

    record Phase(double seconds, Double serverCores, Long serverRss, double generatorCores, String loadAverage) {

        @Override
        public String toString() {
            String serverPart = serverCores == null ? "server CPU unknown (external server)"
                    : "server CPU %.2f cores, RSS %d MiB".formatted(serverCores, serverRss / (1 << 20));
            return "%s; load generator CPU %.2f cores; load average %s (%.1f s)".formatted(serverPart, generatorCores,
                    loadAverage, seconds);
        }
    }
}
