package io.opsbase.bench;

import java.io.StringReader;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import io.opsbase.OpsbaseApplication;
import io.opsbase.cmdb.ChangeContext;
import io.opsbase.cmdb.CiImportReport;
import io.opsbase.cmdb.CiImportService;
import io.opsbase.cmdb.CiQuery;
import io.opsbase.cmdb.CiSearch;
import io.opsbase.cmdb.ImpactDirection;
import io.opsbase.cmdb.ImpactService;
import io.opsbase.testing.TestDatabase;

/**
 * CMDB benchmark: fills a fresh database with 100,000 CIs (through the CSV import, one file per
 * class) and 300,000 relations, then measures list/filter queries through {@link CiSearch},
 * impact analysis at depth 5 through {@link ImpactService}, and one CSV import of 100,000 Server
 * rows (dry run, then commit) through {@link CiImportService}. Each latency case takes 1,000
 * samples after up to 50 warm-up calls (at most 10 s of them), or as many as fit in 40 s (at
 * least 20). Calls go to the facades in-process
 * (no HTTP) on a real Spring context. Run once per engine: {@code postgres} (a fresh database on
 * 127.0.0.1:5432, dropped afterwards) and {@code h2} (in-memory, PostgreSQL mode, as the tests use).
 *
 * <pre>
 * ./mvnw -B -q -pl server test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.opsbase.bench.CmdbBenchmark -Dexec.args="postgres h2"
 * </pre>
 *
 * Two options make it quicker to iterate on one query: {@code -Dbench.pg-db=<name>} uses (and
 * keeps) that PostgreSQL database — created and filled on the first run, reused as it is on later
 * ones (Flyway still applies new migrations); {@code -Dbench.cases=impact,filter,import} runs only
 * those parts.
 *
 * Not a test (its name does not end in Test), so the normal suite never runs it.
 */
public final class CmdbBenchmark {

    private static final ChangeContext CTX = new ChangeContext("bench", "import", null);
    private static final int WARMUP = 50;
    private static final int SAMPLES = 1000;
    /** A case stops sampling after this long (with at least MIN_SAMPLES), so slow cases end. */
    private static final long BUDGET_NANOS = 40_000_000_000L;
    private static final int MIN_SAMPLES = 20;

    /** Classes and how many CIs of each make the 100,000-CI estate. */
    private static final Map<String, Integer> ESTATE = new LinkedHashMap<>();

    static {
        ESTATE.put("Datacenter", 10);
        ESTATE.put("Rack", 1_000);
        ESTATE.put("NetworkDevice", 2_000);
        ESTATE.put("Server", 30_000);
        ESTATE.put("VirtualMachine", 30_000);
        ESTATE.put("Database", 7_000);
        ESTATE.put("Application", 28_990);
        ESTATE.put("BusinessService", 1_000);
    }

    private final ConfigurableApplicationContext context;
    private final JdbcTemplate jdbc;
    private final Random random = new Random(42);

    private CmdbBenchmark(ConfigurableApplicationContext context) {
        this.context = context;
        this.jdbc = context.getBean(JdbcTemplate.class);
    }

    public static void main(String[] args) throws Exception {
        List<String> engines = args.length == 0 ? List.of("postgres", "h2") : Arrays.asList(args);
        System.out.printf("machine: %d cpus, %s, java %s, max heap %d MB%n", Runtime.getRuntime().availableProcessors(),
                cpuModel(), System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20);
        String keptDatabase = System.getProperty("bench.pg-db");
        for (String engine : engines) {
            System.setProperty(TestDatabase.ENGINE_PROPERTY, engine);
            boolean keep = engine.equals("postgres") && keptDatabase != null;
            SpringApplicationBuilder builder = new SpringApplicationBuilder(OpsbaseApplication.class)
                    .properties("server.port=0", "spring.main.banner-mode=off", "logging.level.root=WARN",
                            "logging.level.io.opsbase=WARN", "opsbase.data-dir=target/bench-data");
            if (keep) {
                // Runs after TestDatabase (spring.factories initialisers come first) and overrides its fresh database.
                String url = keptPostgres(keptDatabase);
                builder.initializers(ctx -> ctx.getEnvironment().getPropertySources().addFirst(
                        new org.springframework.core.env.MapPropertySource("bench-db", Map.of("spring.datasource.url", url))));
            }
            ConfigurableApplicationContext context = builder.run();
            String url = context.getEnvironment().getProperty("spring.datasource.url");
            try {
                System.out.printf("%n== %s (%s)%n", engine, url);
                new CmdbBenchmark(context).run();
            } finally {
                context.close();
                if (engine.equals("postgres") && !keep) {
                    dropPostgres(url);
                }
            }
        }
        System.exit(0);
    }

    private void run() {
        if (count("select count(*) from cis") == 0) {
            fillEstate();
            fillRelations();
        } else {
            System.out.println("fill: skipped, reusing the estate already in the database");
        }
        // What autovacuum does soon after a bulk load: statistics, and on PostgreSQL the visibility
        // map (index-only scans) and the GIN pending list (the trigram index) too.
        boolean postgres = context.getEnvironment().getProperty("spring.datasource.url", "").startsWith("jdbc:postgresql:");
        jdbc.execute(postgres ? "vacuum analyze" : "analyze");
        System.out.printf("estate: %d CIs, %d relations (then " + (postgres ? "VACUUM ANALYZE" : "ANALYZE") + ")%n",
                count("select count(*) from cis"), count("select count(*) from ci_relations"));
        Set<String> cases = Set.of(System.getProperty("bench.cases", "verify,impact,filter,import").split(","));
        if (cases.contains("verify")) {
            verifyImpact();
        }
        if (cases.contains("impact")) {
            impact();
        }
        if (cases.contains("filter")) {
            listAndFilter();
        }
        if (cases.contains("import")) {
            importHundredThousand();
        }
    }

    private void fillEstate() {
        CiImportService imports = context.getBean(CiImportService.class);
        long started = System.nanoTime();
        ESTATE.forEach((className, n) -> {
            CiImportReport report = imports.importCsv(className, new StringReader(csv(className, n, "")), false, CTX);
            if (!report.committed()) {
                throw new IllegalStateException(className + " import failed: " + report.errors().subList(0, Math.min(3, report.errors().size())));
            }
        });
        System.out.printf("fill: 100,000 CIs by CSV import, one file per class: %.1f s%n", (System.nanoTime() - started) / 1e9);
    }

    /** 300,000 relations shaped like a real estate: placement, network, hosting and dependencies (with cycles). */
    private void fillRelations() {
        long[] dc = ids("Datacenter"), rack = ids("Rack"), net = ids("NetworkDevice"), srv = ids("Server"),
                vm = ids("VirtualMachine"), db = ids("Database"), app = ids("Application"), bs = ids("BusinessService");
        Set<String> seen = new HashSet<>();
        List<Object[]> rows = new ArrayList<>(300_000);
        Timestamp now = Timestamp.from(Instant.now());
        java.util.function.BiConsumer<String, long[]> add = (type, pair) -> {
            if (pair[0] != pair[1] && seen.add(type + pair[0] + ">" + pair[1])) {
                rows.add(new Object[] {type, pair[0], pair[1], now, "bench"});
            }
        };
        for (int i = 0; i < rack.length; i++) add.accept("hosted_in", new long[] {rack[i], dc[i % dc.length]});
        for (int i = 0; i < net.length; i++) add.accept("hosted_in", new long[] {net[i], rack[i % rack.length]});
        for (int i = 0; i < srv.length; i++) {
            add.accept("hosted_in", new long[] {srv[i], rack[i % rack.length]});
            add.accept("connects_to", new long[] {srv[i], net[(2 * (i % rack.length)) % net.length]});
            add.accept("connects_to", new long[] {srv[i], net[(2 * (i % rack.length) + 1) % net.length]});
        }
        for (int i = 0; i < vm.length; i++) add.accept("runs_on", new long[] {vm[i], srv[random.nextInt(srv.length)]});
        for (int i = 0; i < db.length; i++) add.accept("runs_on", new long[] {db[i], i % 2 == 0 ? srv[random.nextInt(srv.length)] : vm[random.nextInt(vm.length)]});
        for (int i = 0; i < app.length; i++) {
            add.accept("runs_on", new long[] {app[i], vm[random.nextInt(vm.length)]});
            add.accept("depends_on", new long[] {app[i], db[random.nextInt(db.length)]});
            add.accept("depends_on", new long[] {app[i], db[random.nextInt(db.length)]});
            add.accept("depends_on", new long[] {app[i], app[random.nextInt(app.length)]});
            add.accept("depends_on", new long[] {app[i], app[random.nextInt(app.length)]});
        }
        while (rows.size() < 300_000) {
            add.accept("depends_on", new long[] {bs[random.nextInt(bs.length)], app[random.nextInt(app.length)]});
        }
        long started = System.nanoTime();
        new TransactionTemplate(context.getBean(org.springframework.transaction.PlatformTransactionManager.class))
                .executeWithoutResult(s -> jdbc.batchUpdate(
                        "insert into ci_relations (type, source_id, target_id, created_at, created_by) values (?, ?, ?, ?, ?)",
                        rows, 2000, (ps, r) -> {
                            for (int i = 0; i < r.length; i++) {
                                ps.setObject(i + 1, r[i]);
                            }
                        }));
        System.out.printf("fill: 300,000 relations by JDBC batch insert: %.1f s%n", (System.nanoTime() - started) / 1e9);
    }

    private void listAndFilter() {
        CiSearch search = context.getBean(CiSearch.class);
        Map<String, Map<String, List<String>>> queries = new LinkedHashMap<>();
        queries.put("class=Server (first page of 50, by name)", Map.of("class", List.of("Server")));
        queries.put("class=Server&state=in_use&attr.cpu_count=gte:32", Map.of("class", List.of("Server"),
                "state", List.of("in_use"), "attr.cpu_count", List.of("gte:32")));
        queries.put("class=Application&tag=prod&owner=team-7", Map.of("class", List.of("Application"),
                "tag", List.of("prod"), "owner", List.of("team-7")));
        queries.put("q=10.0.3.1 (free text: name, IP, serial, host name)", Map.of("q", List.of("10.0.3.1")));
        queries.put("attr.serial_number=eq:<one serial>", Map.of("attr.serial_number", List.of("SRV-0012345")));
        queries.put("all classes, sort=-updatedAt", Map.of("sort", List.of("-updatedAt")));
        List<Long> all = new ArrayList<>();
        queries.forEach((label, parameters) -> {
            CiQuery query = CiQuery.fromParameters(parameters);
            long[] t = measure(() -> search.search(query).items().size());
            all.addAll(Arrays.stream(t).boxed().toList());
            reportWithCpu("list/filter " + label, t, search.search(query).items().size() + " items");
        });
        report("list/filter, all queries above", all.stream().mapToLong(Long::longValue).toArray(), "");
    }

    private void impact() {
        ImpactService impact = context.getBean(ImpactService.class);
        long[] servers = ids("Server"), services = ids("BusinessService"), apps = ids("Application"), nets = ids("NetworkDevice");
        impactCase(impact, "impact downstream depth 5 from a random Server", servers, ImpactDirection.DOWNSTREAM);
        impactCase(impact, "impact downstream depth 5 from a random Application", apps, ImpactDirection.DOWNSTREAM);
        impactCase(impact, "impact upstream depth 5 from a random BusinessService", services, ImpactDirection.UPSTREAM);
        impactCase(impact, "impact downstream depth 5 from a random NetworkDevice", nets, ImpactDirection.DOWNSTREAM);
    }

    /**
     * Compares {@link ImpactService} (the in-memory graph) with a plain SQL breadth-first walk —
     * one query per level, as impact analysis worked before the graph was held in memory — from
     * random roots of every kind, both directions, depth 5. Any difference ends the run.
     */
    private void verifyImpact() {
        ImpactService impact = context.getBean(ImpactService.class);
        long[] all = jdbc.queryForList("select id from cis order by id", Long.class).stream().mapToLong(Long::longValue).toArray();
        Map<String, String> flows = new java.util.HashMap<>();
        jdbc.query("select name, impact_flow from relation_types", rs -> {
            flows.put(rs.getString(1), rs.getString(2));
        });
        // Retired CIs are neither reached nor walked through: retire some (once per database).
        io.opsbase.cmdb.CiService cis = context.getBean(io.opsbase.cmdb.CiService.class);
        for (int i = 0; i < 200 && count("select count(*) from cis where retired_at is not null") < 200; i++) {
            cis.retire(all[random.nextInt(all.length)], null, CTX);
        }
        int compared = 0;
        long nodes = 0;
        for (int i = 0; i < 300; i++) {
            long root = all[random.nextInt(all.length)];
            for (ImpactDirection direction : ImpactDirection.values()) {
                var actual = impact.analyse(root, direction, 5);
                var expected = sqlWalk(root, direction, 5, flows);
                if (!actual.nodes().equals(expected.nodes()) || !actual.edges().equals(expected.edges())) {
                    throw new IllegalStateException("impact from " + root + " " + direction + " differs from the SQL walk: "
                            + actual.nodes().size() + " vs " + expected.nodes().size() + " nodes, " + actual.edges().size()
                            + " vs " + expected.edges().size() + " edges");
                }
                compared++;
                nodes += actual.nodes().size();
            }
        }
        System.out.printf("verify: %d impact graphs (%d nodes in all) identical to a SQL breadth-first walk%n", compared, nodes);
    }

    private io.opsbase.cmdb.ImpactGraph sqlWalk(long root, ImpactDirection direction, int depth, Map<String, String> flows) {
        String fromTarget = direction == ImpactDirection.DOWNSTREAM ? "to_source" : "to_target";
        Map<Long, io.opsbase.cmdb.ImpactGraph.Node> reached = new LinkedHashMap<>();
        Set<io.opsbase.cmdb.ImpactGraph.Edge> edges = new HashSet<>();
        reached.put(root, null);
        List<Long> frontier = List.of(root);
        for (int level = 1; level <= depth && !frontier.isEmpty(); level++) {
            List<Long> next = new ArrayList<>();
            String in = frontier.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(","));
            int lvl = level;
            for (boolean viaTarget : new boolean[] {true, false}) {
                // viaTarget: relations ending at the frontier lead to their source, else to their target.
                String mine = viaTarget ? "target_id" : "source_id";
                String other = viaTarget ? "source_id" : "target_id";
                jdbc.query("""
                        select r.type, r.source_id, r.target_id, c.id, c.name, k.name, c.state
                        from ci_relations r join cis c on c.id = r.%2$s join cmdb_classes k on k.id = c.class_id
                        where r.%1$s in (%3$s) and c.retired_at is null""".formatted(mine, other, in), rs -> {
                    if (viaTarget != flows.get(rs.getString(1)).equals(fromTarget)) {
                        return;
                    }
                    edges.add(new io.opsbase.cmdb.ImpactGraph.Edge(rs.getLong(2), rs.getLong(3), rs.getString(1)));
                    long id = rs.getLong(4);
                    if (!reached.containsKey(id)) {
                        reached.put(id, new io.opsbase.cmdb.ImpactGraph.Node(id, rs.getString(5), rs.getString(6), rs.getString(7), lvl));
                        next.add(id);
                    }
                });
            }
            frontier = next;
        }
        reached.remove(root);
        return new io.opsbase.cmdb.ImpactGraph(direction, depth, null,
                reached.values().stream().sorted(java.util.Comparator.comparingInt(io.opsbase.cmdb.ImpactGraph.Node::depth)
                        .thenComparingLong(io.opsbase.cmdb.ImpactGraph.Node::id)).toList(),
                edges.stream().sorted(java.util.Comparator.comparingLong(io.opsbase.cmdb.ImpactGraph.Edge::source)
                        .thenComparingLong(io.opsbase.cmdb.ImpactGraph.Edge::target)
                        .thenComparing(io.opsbase.cmdb.ImpactGraph.Edge::type)).toList(),
                List.of());
    }

    private void impactCase(ImpactService impact, String label, long[] roots, ImpactDirection direction) {
        long[] nodes = {0};
        int[] calls = {0};
        long[] t = measure(() -> {
            int n = impact.analyse(roots[random.nextInt(roots.length)], direction, 5).nodes().size();
            nodes[0] += n;
            calls[0]++;
            return n;
        });
        reportWithCpu(label, t, String.format(Locale.ROOT, "mean %.0f nodes reached", (double) nodes[0] / calls[0]));
    }

    private void importHundredThousand() {
        CiImportService imports = context.getBean(CiImportService.class);
        String csv = csv("Server", 100_000, "imp-");
        System.out.printf("import file: 100,000 Server rows, %.1f MB, 12 columns%n", csv.length() / 1e6);
        long started = System.nanoTime();
        CiImportReport dry = imports.importCsv("Server", new StringReader(csv), true, CTX);
        double drySeconds = (System.nanoTime() - started) / 1e9;
        started = System.nanoTime();
        CiImportReport commit = imports.importCsv("Server", new StringReader(csv), false, CTX);
        double commitSeconds = (System.nanoTime() - started) / 1e9;
        if (!dry.valid() || !commit.committed() || commit.created() != 100_000) {
            throw new IllegalStateException("import did not commit 100,000 rows: " + commit);
        }
        System.out.printf("import 100,000 rows: dry run %.1f s, commit %.1f s (into a CMDB that already holds %d CIs)%n",
                drySeconds, commitSeconds, count("select count(*) from cis") - 100_000);
    }

    /** A CSV for the class; {@code prefix} keeps names and unique values apart from the estate's. */
    private static String csv(String className, int n, String prefix) {
        int base = prefix.isEmpty() ? 0 : 5_000_000;
        IntFunction<String> ip = i -> "10." + ((i + base) >> 16 & 255) + "." + ((i + base) >> 8 & 255) + "." + ((i + base) & 255);
        String header = switch (className) {
            case "Datacenter" -> "name,state,owner_team,tags,code,city,country,tier";
            case "Rack" -> "name,state,owner_team,tags,row,position,height_u,power_kw";
            case "NetworkDevice" -> "name,state,owner_team,tags,hostname,serial_number,manufacturer,model,management_ip,device_role,port_count";
            case "Server" -> "name,state,owner_team,tags,hostname,serial_number,manufacturer,model,ip_address,cpu_count,memory_gb,os,env";
            case "VirtualMachine" -> "name,state,owner_team,tags,hostname,ip_address,vcpu_count,memory_gb,os,env,instance_id";
            case "Database" -> "name,state,owner_team,tags,engine,version,port,size_gb,env";
            case "Application" -> "name,state,owner_team,tags,version,url,env,criticality";
            case "BusinessService" -> "name,state,owner_team,tags,criticality,service_owner,sla";
            default -> throw new IllegalArgumentException(className);
        };
        StringBuilder sb = new StringBuilder(n * 120).append(header).append('\n');
        String[] envs = {"prod", "prod", "staging", "dev"};
        for (int i = 0; i < n; i++) {
            String env = envs[i % envs.length];
            String state = i % 20 == 0 ? "maintenance" : "in_use";
            String common = "," + state + ",team-" + (i % 50) + "," + env + (i % 3 == 0 ? " linux" : "");
            String row = switch (className) {
                case "Datacenter" -> "dc-" + i + common + ",DC" + i + ",City " + i + ",DE,III";
                case "Rack" -> "rack-" + i + common + "," + (char) ('A' + i % 20) + "," + i + ",42,8.5";
                case "NetworkDevice" -> "sw-" + i + common + ",sw-" + i + ",NET-" + String.format("%07d", i) + ",Arista,DCS-7050SX3,10.200."
                        + (i >> 8 & 255) + "." + (i & 255) + ",switch,56";
                case "Server" -> prefix + "srv-" + i + common + "," + prefix + "srv-" + i + ".example.com," + (prefix.isEmpty() ? "SRV-" : "IMP-")
                        + String.format("%07d", i) + ",Dell Inc.,PowerEdge R750," + ip.apply(i) + "," + (8 << (i % 4)) + ","
                        + (64 << (i % 3)) + ",Ubuntu," + env;
                case "VirtualMachine" -> "vm-" + i + common + ",vm-" + i + ",172.16." + (i >> 8 & 255) + "." + (i & 255) + "," + (2 << (i % 3))
                        + "," + (4 << (i % 3)) + ",Ubuntu," + env + ",i-" + Integer.toHexString(0x1000000 + i);
                case "Database" -> "db-" + i + common + "," + (i % 2 == 0 ? "postgresql" : "mysql") + ",16.4," + (5432 + i % 3) + ","
                        + (i % 900) + ".5," + env;
                case "Application" -> "app-" + i + common + ",1." + (i % 10) + ".0,https://app-" + i + ".example.com," + env
                        + "," + (i % 4 == 0 ? "high" : "medium");
                case "BusinessService" -> "service-" + i + common + ",high,Owner " + (i % 40) + ",99.9%";
                default -> throw new IllegalArgumentException(className);
            };
            sb.append(row).append('\n');
        }
        return sb.toString();
    }

    private static long[] measure(LongSupplier call) {
        long sink = 0;
        long warming = System.nanoTime();
        for (int i = 0; i < WARMUP && System.nanoTime() - warming < BUDGET_NANOS / 4; i++) {
            sink += call.getAsLong();
        }
        long[] t = new long[SAMPLES];
        long[] cpu = new long[SAMPLES];
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long started = System.nanoTime();
        int n = 0;
        while (n < SAMPLES && (n < MIN_SAMPLES || System.nanoTime() - started < BUDGET_NANOS)) {
            long c = threads.getCurrentThreadCpuTime();
            long s = System.nanoTime();
            sink += call.getAsLong();
            t[n] = System.nanoTime() - s;
            cpu[n++] = threads.getCurrentThreadCpuTime() - c;
        }
        t = Arrays.copyOf(t, n);
        lastCpu = Arrays.copyOf(cpu, n);
        if (sink == Long.MIN_VALUE) {
            System.out.print("");
        }
        return t;
    }

    /** The calling thread's CPU time per sample of the last {@link #measure} (JVM side only, not the database's). */
    private static long[] lastCpu;

    private static void report(String label, long[] nanos, String note) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        System.out.printf(Locale.ROOT, "%-62s n=%d p50=%.2f ms p99=%.2f ms max=%.2f ms %s%n", label, s.length,
                s[s.length / 2] / 1e6, s[(int) Math.ceil(s.length * 0.99) - 1] / 1e6, s[s.length - 1] / 1e6, note);
    }

    /** As {@link #report}, plus the JVM thread's CPU time p50/p99: what the call costs apart from waiting for a core. */
    private static void reportWithCpu(String label, long[] nanos, String note) {
        long[] c = lastCpu.clone();
        Arrays.sort(c);
        report(label, nanos, note + String.format(Locale.ROOT, " (JVM cpu p50=%.2f ms p99=%.2f ms)",
                c[c.length / 2] / 1e6, c[(int) Math.ceil(c.length * 0.99) - 1] / 1e6));
    }

    private long[] ids(String className) {
        return jdbc.queryForList("select c.id from cis c join cmdb_classes k on k.id = c.class_id where k.name = ? order by c.id",
                Long.class, className).stream().mapToLong(Long::longValue).toArray();
    }

    private long count(String sql) {
        return jdbc.queryForObject(sql, Long.class);
    }

    private static String cpuModel() {
        try {
            return java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name")).findFirst().map(l -> l.substring(l.indexOf(':') + 1).strip())
                    .orElse("unknown CPU");
        } catch (java.io.IOException e) {
            return "unknown CPU";
        }
    }

    /** The URL of a kept benchmark database, created when it does not exist yet. */
    private static String keptPostgres(String name) throws java.sql.SQLException {
        if (!name.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("bench.pg-db must be a plain lower-case database name");
        }
        String admin = System.getProperty("opsbase.test.pg-url", "jdbc:postgresql://127.0.0.1:5432/postgres");
        try (var c = java.sql.DriverManager.getConnection(admin, "postgres", "")) {
            var rs = c.createStatement().executeQuery("select count(*) from pg_database where datname = '" + name + "'");
            rs.next();
            if (rs.getLong(1) == 0) {
                c.createStatement().execute("create database " + name);
            }
        }
        return admin.substring(0, admin.lastIndexOf('/') + 1) + name;
    }

    private static void dropPostgres(String url) throws java.sql.SQLException {
        String name = url.substring(url.lastIndexOf('/') + 1);
        String admin = url.substring(0, url.lastIndexOf('/') + 1) + "postgres";
        try (var c = java.sql.DriverManager.getConnection(admin, "postgres", "")) {
            c.createStatement().execute("drop database if exists " + name);
        }
    }
}
