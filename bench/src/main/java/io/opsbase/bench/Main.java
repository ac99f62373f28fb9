package io.opsbase.bench;

import java.util.Arrays;

/** Dispatches the benchmark subcommands; see docs/benchmarks.md for what each measures. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            usage();
            System.exit(2);
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case "store-size" -> StoreSize.main(rest);
            case "series-heap" -> SeriesHeap.main(rest);
            case "rrd-compare" -> RrdCompare.main(rest);
            case "query-once" -> QueryOnce.main(rest);
            case "agent-load" -> io.opsbase.bench.agents.AgentLoad.main(rest);
            case "metrics-load" -> io.opsbase.bench.agents.MetricsLoad.main(rest);
            case "remote-write-compare" -> io.opsbase.bench.agents.RemoteWriteCompare.main(rest);
            case "agent-footprint" -> io.opsbase.bench.footprint.AgentFootprint.main(rest);
            case "cmdb" -> io.opsbase.bench.cmdb.CmdbBench.main(rest);
            case "file-fanout" -> io.opsbase.bench.agents.FileFanout.main(rest);
            case "policy" -> io.opsbase.bench.policy.PolicyBench.main(rest);
            case "job-dispatch" -> io.opsbase.bench.agents.JobDispatch.main(rest);
            case "jmh" -> org.openjdk.jmh.Main.main(rest);
            default -> {
                usage();
                System.exit(2);
            }
        }
    }

    private static void usage() {
        System.err.println("""
                usage: java -jar opsbase-bench.jar <command> [options]
                  store-size  --input FILE.csv.gz      load a recording, read it back, check rollups, print sizes
                  series-heap [--series N]             heap per series of the series index (default 1000000)
                  rrd-compare --input FILE.csv.gz      one year of one series in metrics-store and in RRDtool
                  query-once                           time the first graph queries in a fresh JVM
                  agent-load  [--agents N] [options]   simulated agents: enrol, inventory, long-polls (--help)
                  metrics-load [--agents N] [--series S] [--interval SEC] [--duration SEC] [--ceiling]
                                                       simulated agents reporting metrics; zero loss counted back (--help)
                  remote-write-compare [--series N] [--rounds N] [--warmup-rounds N]
                                                       one remote-write stream into Prometheus and into Opsbase: samples per CPU-second
                  agent-footprint --agent-jar JAR --server-jar JAR [--minutes N]
                                                       idle agent RSS/PSS/CPU next to prometheus-node-exporter
                  cmdb [--db postgres|h2]              100,000 CIs, 300,000 relations: list/filter, impact, import via the API
                  file-fanout [--agents 100] [--size-mb 100] [--rounds 3] [--no-verify] [--server-jar JAR]
                                                       one file to many signed agents at once: server send rate
                  policy [--seconds 10] [--server-jar JAR]
                                                       dangerous-command policy dry runs over the API: 1 to 5,000-line scripts
                  job-dispatch [--agents 5000] [--execute] [--ansible] [--data-dir DIR] [--server-heap 4g] (--help)
                                                       a command to N simulated agents: accept → every host's result stored,
                                                       the results page; --ansible: the same through ansible
                  jmh [JMH options]                    AppendBenchmark, QueryBenchmark""");
    }

    static String option(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        if (fallback == null) {
            throw new IllegalArgumentException("missing option " + name);
        }
        return fallback;
    }
}
