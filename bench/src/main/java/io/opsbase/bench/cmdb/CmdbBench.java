package io.opsbase.bench.cmdb;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.IntFunction;

import io.opsbase.bench.agents.ProcessStats;
import io.opsbase.bench.agents.ServerUnderTest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The CMDB benchmark of issue 2, against the real server jar started as a child process: fills a
 * fresh database with 100,000 CIs (CSV import through the API, one file per class) and 300,000
 * relations (a JDBC batch insert while the server is stopped — setup, not measured — after which
 * the server starts again and loads its relation graph from the database), then times through
 * the REST API, one call at a time, what a user waits for:
 * <ul>
 * <li>list/filter: {@code GET /api/v1/cis?…} for six queries (class, state, attribute range,
 * tags, owner, free text, one serial, all classes by last update);</li>
 * <li>impact: {@code GET /api/v1/cis/{id}/impact?depth=5} from random roots of four classes;</li>
 * <li>one CSV import of 100,000 Server rows: {@code POST /api/v1/import/Server}, dry run then
 * commit.</li>
 * </ul>
 * Each latency case: up to 50 warm-up calls (at most 10 s), then 1,000 timed calls or as many as
 * fit in 40 s (at least 20). Besides the wall-clock p50/p99/max, each case reports the server
 * process's CPU time per call (from {@code /proc}), which says what a call costs apart from
 * waiting for a core on a busy machine. On PostgreSQL the run first checks 300 random impact
 * graphs (both directions) from the API against a plain SQL breadth-first walk over the same
 * database, so the fast path is proved to answer the same.
 *
 * <pre>
 * java -jar bench/target/opsbase-bench.jar cmdb --db postgres   # or --db h2 (the embedded file database)
 * </pre>
 */
public final class CmdbBench {

    private static final int WARMUP = 50;
    private static final int WARM_PASS_CALLS = 3000;
    private static final long WARM_PASS_NANOS = Duration.ofSeconds(20).toNanos();
    private boolean warmPass;
    private static final int SAMPLES = 1000;
    private static final long BUDGET_NANOS = Duration.ofSeconds(40).toNanos();
    private static final int MIN_SAMPLES = 20;
    private static final String PG_ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";

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

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final Random random = new Random(42);
    private final String engine;
    private final Path jar;
    private final Path dataDir;
    private final List<String> jvmArgs;
    private final Set<String> cases;
    private String jdbcUrl;
    private String jdbcUser;
    private ServerUnderTest server;
    private String token;
    private final Map<String, long[]> ids = new HashMap<>();

    private CmdbBench(String engine, Path jar, Path dataDir, List<String> jvmArgs, Set<String> cases) {
        this.engine = engine;
        this.jar = jar;
        this.dataDir = dataDir;
        this.jvmArgs = jvmArgs;
        this.cases = cases;
    }

    public static void main(String[] args) throws Exception {
        if (Arrays.asList(args).contains("--help")) {
            System.out.println("""
                    cmdb [--db postgres|h2] [--server-jar server/target/opsbase-server.jar] [--heap 2g]
                         [--cases verify,impact,filter,import] [--data-dir DIR] [--jvm-arg ARG]
                         [--pg-db NAME]   use and keep that PostgreSQL database: filled on the first run,
                                          reused on later ones (leave import out of --cases then)""");
            return;
        }
        String engine = option(args, "--db", "postgres");
        if (!engine.equals("postgres") && !engine.equals("h2")) {
            throw new IllegalArgumentException("--db must be postgres or h2");
        }
        Path jar = Path.of(option(args, "--server-jar", "server/target/opsbase-server.jar"));
        Path dataDir = Path.of(option(args, "--data-dir", Files.createTempDirectory("opsbase-cmdb-bench").toString()));
        List<String> jvmArgs = new ArrayList<>(List.of("-Xmx" + option(args, "--heap", "2g")));
        String extra = option(args, "--jvm-arg", null);
        if (extra != null) {
            jvmArgs.add(extra);
        }
        String kept = option(args, "--pg-db", null);
        Set<String> cases = Set.of(option(args, "--cases", "verify,impact,filter,import").split(","));
        System.out.printf("machine: %d cpus, %s, java %s; load average %s%n", Runtime.getRuntime().availableProcessors(),
                cpuModel(), System.getProperty("java.version"), ProcessStats.loadAverage());
        var bench = new CmdbBench(engine, jar, dataDir, jvmArgs, cases);
        String database = null;
        try {
            if (engine.equals("postgres") && kept != null) {
                if (!kept.matches("[a-z_][a-z0-9_]*")) {
                    throw new IllegalArgumentException("--pg-db must be a plain lower-case database name");
                }
                bench.jdbcUrl = createPostgresIfMissing(kept);
                bench.jdbcUser = "postgres";
            } else if (engine.equals("postgres")) {
                database = "opsbase_cmdb_bench_" + Long.toString(System.nanoTime() & 0xffffffL, 36);
                bench.jdbcUrl = createPostgres(database);
                bench.jdbcUser = "postgres";
            } else {
                bench.jdbcUrl = "jdbc:h2:file:" + dataDir.toAbsolutePath() + "/db/opsbase;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                        + "DEFAULT_NULL_ORDERING=HIGH;AUTO_SERVER=FALSE";
                bench.jdbcUser = "sa";
            }
            System.out.printf("== %s (%s), server %s %s%n", engine, bench.jdbcUrl, jar, jvmArgs);
            bench.run();
        } finally {
            bench.stopServer();
            if (database != null) {
                dropPostgres(database);
            }
        }
        System.out.printf("load average at the end: %s%n", ProcessStats.loadAverage());
    }

    private void run() throws Exception {
        boolean filled;
        try (Connection c = connect()) {
            filled = c.getMetaData().getTables(null, null, "cis", null).next() && count(c, "select count(*) from cis") > 0;
            if (filled) {
                for (String className : ESTATE.keySet()) {
                    ids.put(className, ids(c, className));
                }
            }
        }
        if (filled) {
            System.out.println("fill: skipped, reusing the estate already in the database");
            token = issueTokenDirectly();
            startServer(false);
        } else {
            fill();
        }
        if (cases.contains("verify") && engine.equals("postgres")) {
            verifyImpact();
        }
        if (cases.contains("impact") || cases.contains("filter")) {
            // A warm-up pass over every timed query first: a server that has just started compiles
            // its hot paths for minutes, and that compilation (two C2 threads) would otherwise be
            // counted in the first cases' latencies and server CPU. Production servers are warm.
            warmPass = true;
            long started = System.nanoTime();
            if (cases.contains("impact")) {
                impact();
            }
            if (cases.contains("filter")) {
                listAndFilter();
            }
            warmPass = false;
            System.out.printf("warm-up: every case below called %d times (at most %d s each), untimed: %.1f s%n",
                    WARM_PASS_CALLS, WARM_PASS_NANOS / 1_000_000_000L, (System.nanoTime() - started) / 1e9);
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

    private void fill() throws Exception {
        startServer(true);
        long started = System.nanoTime();
        for (var e : ESTATE.entrySet()) {
            JsonNode report = importCsv(e.getKey(), csv(e.getKey(), e.getValue(), ""), false);
            if (report.path("created").asLong() != e.getValue()) {
                throw new IllegalStateException(e.getKey() + " import did not create " + e.getValue() + " CIs: " + report);
            }
        }
        System.out.printf("fill: 100,000 CIs by CSV import through the API, one file per class: %.1f s%n",
                (System.nanoTime() - started) / 1e9);
        stopServer();
        try (Connection c = connect()) {
            for (String className : ESTATE.keySet()) {
                ids.put(className, ids(c, className));
            }
            fillRelations(c);
            boolean postgres = engine.equals("postgres");
            // What autovacuum does soon after a bulk load (statistics, visibility map, GIN pending list).
            try (var s = c.createStatement()) {
                s.execute(postgres ? "vacuum analyze" : "analyze");
            }
            System.out.printf("estate: %d CIs, %d relations (then %s)%n", count(c, "select count(*) from cis"),
                    count(c, "select count(*) from ci_relations"), postgres ? "VACUUM ANALYZE" : "ANALYZE");
        }
        long restarted = System.nanoTime();
        startServer(false);
        System.out.printf("server started again on the filled database in %.1f s%n", (System.nanoTime() - restarted) / 1e9);
    }

    private void startServer(boolean first) throws IOException, InterruptedException {
        List<String> serverArgs = new ArrayList<>(List.of("--logging.level.root=WARN", "--spring.main.banner-mode=off"));
        if (engine.equals("postgres")) {
            serverArgs.addAll(List.of("--spring.datasource.url=" + jdbcUrl, "--spring.datasource.username=" + jdbcUser,
                    "--spring.datasource.password="));
        }
        server = ServerUnderTest.start(jar, dataDir, jvmArgs, serverArgs, http);
        if (first) {
            // On a reused database the admin keeps the password of the run that created it: reset it for this run.
            token = login(server.adminPassword().orElseThrow());
        }
    }

    private void stopServer() throws InterruptedException {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /**
     * On a reused database the admin has the password of the run that created it: this run gets a
     * fresh personal access token for admin by writing its SHA-256 into the database, as the
     * server does when it issues one.
     */
    private String issueTokenDirectly() throws Exception {
        byte[] secret = new byte[32];
        new java.security.SecureRandom().nextBytes(secret);
        String token = "obt_" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        String hash = java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        try (Connection c = connect(); var ps = c.prepareStatement("insert into api_tokens (user_id, name, token_hash, token_prefix,"
                + " created_at, expires_at) select id, 'cmdb-bench', ?, ?, ?, ? from users where username = 'admin'")) {
            ps.setString(1, hash);
            ps.setString(2, token.substring(0, 10));
            ps.setTimestamp(3, Timestamp.from(Instant.now()));
            ps.setTimestamp(4, Timestamp.from(Instant.now().plus(Duration.ofDays(1))));
            if (ps.executeUpdate() != 1) {
                throw new IllegalStateException("no admin user in the reused database");
            }
        }
        return token;
    }

    /** Trades the generated admin password for a personal access token that outlives a restart. */
    private String login(String password) throws IOException, InterruptedException {
        String basic = java.util.Base64.getEncoder().encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8));
        var r = http.send(HttpRequest.newBuilder(server.base().resolve("/api/v1/tokens")).header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"cmdb-bench\", \"expiresIn\": \"P1D\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("login failed: " + r.statusCode() + " " + r.body());
        }
        return json.readTree(r.body()).get("token").asString();
    }

    private HttpResponse<byte[]> get(String pathAndQuery) throws IOException, InterruptedException {
        var r = http.send(HttpRequest.newBuilder(server.base().resolve(pathAndQuery)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofMinutes(1)).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + pathAndQuery + " answered " + r.statusCode() + ": "
                    + new String(r.body(), StandardCharsets.UTF_8));
        }
        return r;
    }

    private JsonNode importCsv(String className, String csv, boolean dryRun) throws IOException, InterruptedException {
        var r = http.send(HttpRequest.newBuilder(server.base().resolve("/api/v1/import/" + className + "?dryRun=" + dryRun))
                .header("Authorization", "Bearer " + token).header("Content-Type", "text/csv")
                .timeout(Duration.ofMinutes(10)).POST(HttpRequest.BodyPublishers.ofString(csv)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("import " + className + " answered " + r.statusCode() + ": "
                    + r.body().substring(0, Math.min(2000, r.body().length())));
        }
        return json.readTree(r.body());
    }

    /** 300,000 relations shaped like a real estate: placement, network, hosting and dependencies (with cycles). */
    private void fillRelations(Connection c) throws SQLException {
        long[] dc = ids.get("Datacenter"), rack = ids.get("Rack"), net = ids.get("NetworkDevice"), srv = ids.get("Server"),
                vm = ids.get("VirtualMachine"), db = ids.get("Database"), app = ids.get("Application"),
                bs = ids.get("BusinessService");
        Set<String> seen = new HashSet<>();
        List<Object[]> rows = new ArrayList<>(300_000);
        BiConsumer<String, long[]> add = (type, pair) -> {
            if (pair[0] != pair[1] && seen.add(type + pair[0] + ">" + pair[1])) {
                rows.add(new Object[] {type, pair[0], pair[1]});
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
        for (int i = 0; i < db.length; i++) {
            add.accept("runs_on", new long[] {db[i], i % 2 == 0 ? srv[random.nextInt(srv.length)] : vm[random.nextInt(vm.length)]});
        }
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
        c.setAutoCommit(false);
        try (var ps = c.prepareStatement(
                "insert into ci_relations (type, source_id, target_id, created_at, created_by) values (?, ?, ?, ?, ?)")) {
            Timestamp now = Timestamp.from(Instant.now());
            int batched = 0;
            for (Object[] r : rows) {
                ps.setString(1, (String) r[0]);
                ps.setLong(2, (Long) r[1]);
                ps.setLong(3, (Long) r[2]);
                ps.setTimestamp(4, now);
                ps.setString(5, "bench");
                ps.addBatch();
                if (++batched % 2000 == 0) {
                    ps.executeBatch();
                }
            }
            ps.executeBatch();
        }
        c.commit();
        c.setAutoCommit(true);
        System.out.printf("fill: 300,000 relations by JDBC batch insert with the server stopped: %.1f s%n",
                (System.nanoTime() - started) / 1e9);
    }

    private void listAndFilter() throws Exception {
        Map<String, String> queries = new LinkedHashMap<>();
        queries.put("class=Server (first page of 50, by name)", "class=Server");
        queries.put("class=Server&state=in_use&attr.cpu_count=gte:32", "class=Server&state=in_use&attr.cpu_count=gte:32");
        queries.put("class=Application&tag=prod&owner=team-7", "class=Application&tag=prod&owner=team-7");
        queries.put("q=10.0.3.1 (free text: name, IP, serial, host name)", "q=10.0.3.1");
        queries.put("attr.serial_number=eq:<one serial>", "attr.serial_number=eq:SRV-0012345");
        queries.put("all classes, sort=-updatedAt", "sort=-updatedAt");
        List<Long> all = new ArrayList<>();
        for (var e : queries.entrySet()) {
            String path = "/api/v1/cis?" + e.getValue();
            Sample s = measure(() -> get(path).body().length);
            all.addAll(Arrays.stream(s.nanos).boxed().toList());
            int items = json.readTree(get(path).body()).get("items").size();
            report("list/filter " + e.getKey(), s, items + " items");
        }
        report("list/filter, all queries above", new Sample(all.stream().mapToLong(Long::longValue).toArray(), Double.NaN), "");
    }

    private void impact() throws Exception {
        impactCase("impact downstream depth 5 from a random Server", ids.get("Server"), "downstream");
        impactCase("impact downstream depth 5 from a random Application", ids.get("Application"), "downstream");
        impactCase("impact upstream depth 5 from a random BusinessService", ids.get("BusinessService"), "upstream");
        impactCase("impact downstream depth 5 from a random NetworkDevice", ids.get("NetworkDevice"), "downstream");
    }

    private void impactCase(String label, long[] roots, String direction) throws Exception {
        long[] bytes = {0};
        Sample s = measure(() -> {
            int n = get("/api/v1/cis/" + roots[random.nextInt(roots.length)] + "/impact?direction=" + direction + "&depth=5")
                    .body().length;
            bytes[0] += n;
            return n;
        });
        long nodes = 0;
        for (int i = 0; i < 20; i++) {
            nodes += json.readTree(get("/api/v1/cis/" + roots[random.nextInt(roots.length)] + "/impact?direction=" + direction
                    + "&depth=5").body()).get("nodes").size();
        }
        report(label, s, String.format(Locale.ROOT, "~%.0f nodes reached, %.0f KB per answer", nodes / 20.0,
                bytes[0] / 1024.0 / s.nanos.length / 1.0));
    }

    /**
     * Compares the API's impact answers (the server's in-memory graph) with a plain SQL
     * breadth-first walk over the same database, from 150 random roots in both directions at
     * depth 5, after retiring 200 random CIs (retired CIs are neither reached nor walked through).
     * Any difference ends the run.
     */
    private void verifyImpact() throws Exception {
        List<Long> every = new ArrayList<>();
        ids.values().forEach(a -> Arrays.stream(a).forEach(every::add));
        for (int i = 0; i < 200; i++) {
            long id = every.get(random.nextInt(every.size()));
            var r = http.send(HttpRequest.newBuilder(server.base().resolve("/api/v1/cis/" + id))
                    .header("Authorization", "Bearer " + token).DELETE().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 204 && r.statusCode() != 409) {
                throw new IllegalStateException("retiring CI " + id + " answered " + r.statusCode() + ": " + r.body());
            }
        }
        int compared = 0;
        long nodes = 0;
        try (Connection c = connect()) {
            Map<String, String> flows = new HashMap<>();
            try (var rs = c.createStatement().executeQuery("select name, impact_flow from relation_types")) {
                while (rs.next()) {
                    flows.put(rs.getString(1), rs.getString(2));
                }
            }
            for (int i = 0; i < 150; i++) {
                long root = every.get(random.nextInt(every.size()));
                for (String direction : List.of("downstream", "upstream")) {
                    JsonNode api = json.readTree(get("/api/v1/cis/" + root + "/impact?direction=" + direction + "&depth=5").body());
                    Set<String> apiNodes = new HashSet<>();
                    api.get("nodes").forEach(n -> apiNodes.add(n.get("id").asLong() + "@" + n.get("depth").asInt()));
                    Set<String> apiEdges = new HashSet<>();
                    api.get("edges").forEach(e -> apiEdges.add(e.get("source").asLong() + ">" + e.get("target").asLong() + ":"
                            + e.get("type").asString()));
                    Set<String> sqlNodes = new HashSet<>();
                    Set<String> sqlEdges = new HashSet<>();
                    sqlWalk(c, root, direction.equals("downstream"), flows, sqlNodes, sqlEdges);
                    if (!apiNodes.equals(sqlNodes) || !apiEdges.equals(sqlEdges)) {
                        throw new IllegalStateException("impact from " + root + " " + direction + " differs from the SQL walk: "
                                + apiNodes.size() + " vs " + sqlNodes.size() + " nodes, " + apiEdges.size() + " vs "
                                + sqlEdges.size() + " edges");
                    }
                    compared++;
                    nodes += apiNodes.size();
                }
            }
        }
        System.out.printf("verify: %d impact graphs from the API (%d nodes in all) identical to a SQL breadth-first walk%n",
                compared, nodes);
    }

    private static void sqlWalk(Connection c, long root, boolean downstream, Map<String, String> flows, Set<String> nodes,
            Set<String> edges) throws SQLException {
        String fromTarget = downstream ? "to_source" : "to_target";
        Set<Long> reached = new HashSet<>(List.of(root));
        List<Long> frontier = List.of(root);
        for (int level = 1; level <= 5 && !frontier.isEmpty(); level++) {
            List<Long> next = new ArrayList<>();
            String in = frontier.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(","));
            for (boolean viaTarget : new boolean[] {true, false}) {
                // viaTarget: relations ending at the frontier lead to their source, else to their target.
                String mine = viaTarget ? "target_id" : "source_id";
                String other = viaTarget ? "source_id" : "target_id";
                try (var rs = c.createStatement().executeQuery("""
                        select r.type, r.source_id, r.target_id, c.id from ci_relations r join cis c on c.id = r.%2$s
                        where r.%1$s in (%3$s) and c.retired_at is null""".formatted(mine, other, in))) {
                    while (rs.next()) {
                        if (viaTarget != flows.get(rs.getString(1)).equals(fromTarget)) {
                            continue;
                        }
                        edges.add(rs.getLong(2) + ">" + rs.getLong(3) + ":" + rs.getString(1));
                        long id = rs.getLong(4);
                        if (reached.add(id)) {
                            nodes.add(id + "@" + level);
                            next.add(id);
                        }
                    }
                }
            }
            frontier = next;
        }
    }

    private void importHundredThousand() throws Exception {
        String csv = csv("Server", 100_000, "imp-");
        System.out.printf("import file: 100,000 Server rows, %.1f MB, 13 columns%n", csv.length() / 1e6);
        long started = System.nanoTime();
        JsonNode dry = importCsv("Server", csv, true);
        double drySeconds = (System.nanoTime() - started) / 1e9;
        started = System.nanoTime();
        JsonNode commit = importCsv("Server", csv, false);
        double commitSeconds = (System.nanoTime() - started) / 1e9;
        if (!dry.path("errors").isEmpty() || commit.path("created").asLong() != 100_000) {
            throw new IllegalStateException("import did not commit 100,000 rows: " + commit);
        }
        System.out.printf("import 100,000 rows through the API: dry run %.1f s, commit %.1f s (into a CMDB of 100,000 CIs)%n",
                drySeconds, commitSeconds);
    }

    /** A CSV for the class; {@code prefix} keeps names and unique values apart from the estate's. */
    static String csv(String className, int n, String prefix) {
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

    /** Wall-clock nanoseconds of each timed call, and the server's CPU milliseconds per call over them. */
    private record Sample(long[] nanos, double serverCpuMillisPerCall) {
    }

    @FunctionalInterface
    private interface Call {
        int run() throws Exception;
    }

    private Sample measure(Call call) throws Exception {
        long sink = 0;
        long warming = System.nanoTime();
        if (warmPass) {
            for (int i = 0; i < WARM_PASS_CALLS && System.nanoTime() - warming < WARM_PASS_NANOS; i++) {
                sink += call.run();
            }
            return new Sample(new long[] {sink == Long.MIN_VALUE ? 1 : 0}, Double.NaN);
        }
        for (int i = 0; i < WARMUP && System.nanoTime() - warming < BUDGET_NANOS / 4; i++) {
            sink += call.run();
        }
        long[] t = new long[SAMPLES];
        long pid = server.pid().orElseThrow();
        double cpuBefore = ProcessStats.of(pid).cpuSeconds();
        long started = System.nanoTime();
        int n = 0;
        while (n < SAMPLES && (n < MIN_SAMPLES || System.nanoTime() - started < BUDGET_NANOS)) {
            long s = System.nanoTime();
            sink += call.run();
            t[n++] = System.nanoTime() - s;
        }
        double cpu = ProcessStats.of(pid).cpuSeconds() - cpuBefore;
        if (sink == Long.MIN_VALUE) {
            System.out.print("");
        }
        return new Sample(Arrays.copyOf(t, n), cpu * 1000 / n);
    }

    private void report(String label, Sample sample, String note) {
        if (warmPass) {
            return;
        }
        long[] s = sample.nanos.clone();
        Arrays.sort(s);
        String cpu = Double.isNaN(sample.serverCpuMillisPerCall) ? ""
                : String.format(Locale.ROOT, " (server cpu %.2f ms/call)", sample.serverCpuMillisPerCall);
        System.out.printf(Locale.ROOT, "%-62s n=%d p50=%.2f ms p99=%.2f ms max=%.2f ms %s%s%n", label, s.length,
                s[s.length / 2] / 1e6, s[(int) Math.ceil(s.length * 0.99) - 1] / 1e6, s[s.length - 1] / 1e6, note, cpu);
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, jdbcUser, "");
    }

    private static long[] ids(Connection c, String className) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (var ps = c.prepareStatement(
                "select c.id from cis c join cmdb_classes k on k.id = c.class_id where k.name = ? order by c.id")) {
            ps.setString(1, className);
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
            }
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (var rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String createPostgres(String name) throws SQLException {
        try (var c = DriverManager.getConnection(PG_ADMIN_URL, "postgres", "")) {
            c.createStatement().execute("create database " + name);
        }
        return "jdbc:postgresql://127.0.0.1:5432/" + name;
    }

    private static String createPostgresIfMissing(String name) throws SQLException {
        try (var c = DriverManager.getConnection(PG_ADMIN_URL, "postgres", "")) {
            try (var rs = c.createStatement().executeQuery("select count(*) from pg_database where datname = '" + name + "'")) {
                rs.next();
                if (rs.getLong(1) == 0) {
                    c.createStatement().execute("create database " + name);
                }
            }
        }
        return "jdbc:postgresql://127.0.0.1:5432/" + name;
    }

    private static void dropPostgres(String name) throws SQLException {
        try (var c = DriverManager.getConnection(PG_ADMIN_URL, "postgres", "")) {
            c.createStatement().execute("drop database if exists " + name + " with (force)");
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

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }
}
