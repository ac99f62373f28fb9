package io.opsbase.bench;

import io.opsbase.metrics.Batch;
import io.opsbase.metrics.Bucket;
import io.opsbase.metrics.CsvRecording;
import io.opsbase.metrics.DiskMetricStore;
import io.opsbase.metrics.M4;
import io.opsbase.metrics.SeriesId;
import io.opsbase.metrics.SeriesKey;
import io.opsbase.metrics.Samples;
import io.opsbase.metrics.StoreConfig;
import io.opsbase.metrics.StoreStats;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code rrd-compare --input FILE.csv.gz [--series KEY]}: one year of one real series (the
 * recording tiled end to end, one sample raised to a new all-time peak on day 3) stored in
 * metrics-store and in RRDtool with the same tiers (5 s for 15 days, 1 min for 90 days, 5 min for
 * a year, 1 h for five years; MIN, MAX, AVERAGE and LAST each). Prints bytes on disk of both and
 * whether each still shows the peak when asked a year later.
 */
final class RrdCompare {

    private static final long DAY = 86_400_000L;

    private RrdCompare() {
    }

    static void main(String[] args) throws Exception {
        Path input = Path.of(Main.option(args, "--input", null));
        String wanted = Main.option(args, "--series", "node_load1{instance=\"127.0.0.1:19100\",job=\"node\"}");
        Map<SeriesKey, Samples> data = CsvRecording.read(input);
        Samples recording = data.get(SeriesKey.parse(wanted));
        if (recording == null) {
            throw new IllegalArgumentException("no series " + wanted + " in " + input);
        }
        long start = 1_700_000_000_000L / DAY * DAY;
        Samples year = tileOneYear(recording, start);
        int peakAt = (int) Math.min(year.size() - 1, 3 * DAY / 5000);
        double peak = 0;
        for (double v : year.values()) {
            peak = Math.max(peak, v);
        }
        peak = peak * 10 + 1;
        year.values()[peakAt] = peak;
        long peakT = year.timestamps()[peakAt];
        long end = year.timestamps()[year.size() - 1];
        long askedAt = start + 366 * DAY;
        System.out.printf("series=%s samples=%d span_days=%.1f step=5s peak=%.2f at_day=%.1f asked_at_day=366%n",
                wanted, year.size(), (end - start) / (double) DAY, peak, (peakT - start) / (double) DAY);

        Path storeDir = Files.createTempDirectory("opsbase-rrd-compare-store");
        Path rrdDir = Files.createTempDirectory("opsbase-rrd-compare-rrd");
        try {
            storeSide(year, storeDir, start, peakT, peak, askedAt);
            rrdSide(year, rrdDir.resolve("series.rrd"), start, peakT, peak);
        } finally {
            ScratchDirectories.deleteTree(storeDir);
            ScratchDirectories.deleteTree(rrdDir);
        }
    }

    static Samples tileOneYear(Samples recording, long start) {
        long first = recording.timestamps()[0];
        long period = recording.timestamps()[recording.size() - 1] - first + 5000;
        int tiles = (int) (365 * DAY / period);
        long[] ts = new long[tiles * recording.size()];
        double[] vs = new double[ts.length];
        int n = 0;
        for (int tile = 0; tile < tiles; tile++) {
            for (int i = 0; i < recording.size(); i++) {
                ts[n] = start + tile * period + (recording.timestamps()[i] - first);
                vs[n] = recording.values()[i];
                n++;
            }
        }
        return new Samples(ts, vs);
    }

    private static void storeSide(Samples year, Path dir, long start, long peakT, double peak, long askedAt) throws Exception {
        FixedClock clock = new FixedClock(start);
        StoreConfig config = StoreConfig.defaults(dir).withClock(clock);
        long loadStart = System.nanoTime();
        try (DiskMetricStore store = DiskMetricStore.open(config)) {
            SeriesId id = store.series(SeriesKey.parse("node_load1"));
            long nextCheckpoint = start + DAY;
            Batch.Builder batch = Batch.builder();
            for (int i = 0; i < year.size(); i++) {
                batch.add(id, year.timestamps()[i], year.values()[i]);
                if (batch.size() == 8640 || i == year.size() - 1) {
                    store.append(batch.build());
                    batch = Batch.builder();
                }
                if (year.timestamps()[i] >= nextCheckpoint) {
                    clock.millis = year.timestamps()[i];
                    store.checkpoint();
                    nextCheckpoint += DAY;
                }
            }
            clock.millis = askedAt;
            store.sealAll();
            double seconds = (System.nanoTime() - loadStart) / 1e9;
            StoreStats stats = store.stats();
            long total = ScratchDirectories.bytesUnder(dir);
            long hourly = stats.levels().getLast().bytes();
            System.out.printf("metrics-store: load %.1f s; bytes_on_disk=%d (raw=%d rollup_1m=%d rollup_5m=%d rollup_1h=%d wal+index+snapshot=%d)%n",
                    seconds, total, stats.rawBytes(), stats.levels().get(0).bytes(), stats.levels().get(1).bytes(), hourly,
                    total - stats.rawBytes() - stats.levels().stream().mapToLong(StoreStats.Level::bytes).sum());
            System.out.printf("metrics-store: five-year steady state estimate bytes=%d (1 h tier x5, other tiers as now)%n",
                    total + 4 * hourly);
            List<Bucket> hour = store.buckets(id, Duration.ofHours(1), peakT - 3_600_000, peakT + 3_600_000);
            double hourMax = hour.stream().mapToDouble(Bucket::max).max().orElse(Double.NaN);
            long from = start;
            long to = start + 1920L * 5 * 3_600_000;
            M4 m4 = store.m4(id, from, to, 1920);
            double m4Max = m4.columns().stream().mapToDouble(M4.Column::max).max().orElse(Double.NaN);
            System.out.printf("metrics-store: a year later, 1h MAX around the peak=%.2f, M4 1920px max=%.2f (resolution %d s, exact=%s) -> peak %s%n",
                    hourMax, m4Max, m4.resolutionMs() / 1000, m4.exact(), hourMax == peak && m4Max == peak ? "KEPT" : "LOST");
        }
    }

    private static void rrdSide(Samples year, Path rrd, long start, long peakT, double peak) throws Exception {
        long startSec = start / 1000 - 10;
        List<String> create = new ArrayList<>(List.of("rrdtool", "create", rrd.toString(), "--start", Long.toString(startSec),
                "--step", "5", "DS:v:GAUGE:20:U:U"));
        int[][] tiers = {{1, 259_200}, {12, 129_600}, {60, 105_120}, {720, 43_800}};
        for (String cf : List.of("AVERAGE", "MIN", "MAX", "LAST")) {
            for (int[] tier : tiers) {
                create.add("RRA:%s:0.5:%d:%d".formatted(cf, tier[0], tier[1]));
            }
        }
        run(create);
        long loadStart = System.nanoTime();
        Process pipe = new ProcessBuilder("rrdtool", "-").redirectErrorStream(true).start();
        Thread drain = Thread.ofPlatform().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(pipe.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith("ERROR")) {
                        System.out.println("rrdtool: " + line);
                    }
                }
            } catch (Exception ignored) {
                // The pipe closes when rrdtool exits; nothing left to report.
            }
        });
        long skipped = 0;
        try (BufferedWriter w = new BufferedWriter(new OutputStreamWriter(pipe.getOutputStream(), StandardCharsets.UTF_8))) {
            long last = startSec;
            StringBuilder line = new StringBuilder();
            int inLine = 0;
            for (int i = 0; i < year.size(); i++) {
                long sec = year.timestamps()[i] / 1000;
                if (sec <= last) {
                    skipped++;
                    continue;
                }
                last = sec;
                if (inLine == 0) {
                    line.append("update ").append(rrd);
                }
                double v = year.values()[i];
                line.append(' ').append(sec).append(':').append(Double.isNaN(v) ? "U" : Double.toString(v));
                if (++inLine == 500) {
                    w.write(line.append('\n').toString());
                    line.setLength(0);
                    inLine = 0;
                }
            }
            if (inLine > 0) {
                w.write(line.append('\n').toString());
            }
            w.write("quit\n");
        }
        pipe.waitFor();
        drain.join();
        double seconds = (System.nanoTime() - loadStart) / 1e9;
        System.out.printf("rrdtool: load %.1f s; bytes_on_disk=%d (samples skipped for sharing a second: %d)%n",
                seconds, Files.size(rrd), skipped);
        for (String cf : List.of("MAX", "AVERAGE")) {
            String out = run(List.of("rrdtool", "fetch", rrd.toString(), cf, "-r", "3600",
                    "-s", Long.toString(peakT / 1000 - 7200), "-e", Long.toString(peakT / 1000 + 7200)));
            double max = Double.NEGATIVE_INFINITY;
            for (String row : out.split("\n")) {
                int colon = row.indexOf(':');
                if (colon > 0 && row.substring(0, colon).strip().matches("\\d+")) {
                    String value = row.substring(colon + 1).strip();
                    if (!value.contains("nan")) {
                        max = Math.max(max, Double.parseDouble(value));
                    }
                }
            }
            System.out.printf("rrdtool: a year later, 1h %s around the peak=%.2f -> peak %s%n", cf, max,
                    cf.equals("MAX") ? (Math.abs(max - peak) < 1e-9 ? "KEPT" : "LOST") : "(average, for reference)");
        }
    }

    private static String run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }
}
