package io.opsbase.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link MetricStore} must do, checked through the interface only against brute force:
 * samples back bit for bit, rollups equal to aggregating the raw samples, M4 answers equal to
 * folding the raw samples, the out-of-order and duplicate rules, latest values, stable series ids
 * across a reopen. A subclass supplies one implementation and configuration; the suite runs once
 * per subclass (as the platform's repository suite runs once per database).
 */
abstract class MetricStoreContract {

    static final long DAY = 86_400_000L;
    static final long T0 = 1_800_000_000_000L / DAY * DAY;
    static final double[] SPECIALS = {Double.NaN, -0.0, Double.POSITIVE_INFINITY, 0.1, 0.2, 1e300};

    @TempDir
    Path dir;

    MutableClock clock = new MutableClock(T0);

    /** Opens (or reopens) the store under test in {@code dir}, reading time from {@code clock}. */
    abstract MetricStore open(Path dir, MutableClock clock) throws IOException;

    /** The store's rollup steps. */
    abstract List<Duration> steps();

    /** How far behind a series' newest sample a sample is still accepted. */
    abstract Duration tolerance();

    /** How long the suite's data runs; every sample stays within raw retention. */
    abstract Duration span();

    /** How often, in data time, the suite checkpoints while appending. */
    abstract Duration checkpointEvery();

    MetricStore store;

    @BeforeEach
    void openStore() throws IOException {
        store = open(dir, clock);
    }

    @AfterEach
    void closeStore() throws IOException {
        store.close();
    }

    @Test
    void readsEverySampleBackBitForBitAcrossCheckpointsAndAReopen() throws IOException {
        List<Samples> written = load(3, 1);
        assertReadsBack(written);
        reopen();
        assertReadsBack(written);
        store.checkpoint();
        assertReadsBack(written);
    }

    @Test
    void rollupsEqualBruteForceAggregationAtEveryStep() throws IOException {
        List<Samples> written = load(2, 2);
        assertRollups(written);
        reopen();
        assertRollups(written);
    }

    @Test
    void graphAnswersEqualFoldingTheRawSamples() throws IOException {
        List<Samples> written = load(2, 3);
        long from = T0;
        long to = T0 + span().toMillis();
        long coarsest = steps().getLast().toMillis();
        for (int width : new int[] {333, (int) ((to - from) / coarsest)}) {
            for (int s = 0; s < written.size(); s++) {
                M4 answer = store.m4(new SeriesId(s), from, to, width);
                assertThat(answer.exact()).isTrue();
                assertThat(answer.columns()).as("width %d", width).isEqualTo(bruteM4(written.get(s), from, to, width));
            }
        }
    }

    @Test
    void acceptsLateSamplesWithinTheToleranceLetsTheLastDuplicateWinAndRejectsOlderOnes() {
        SeriesId id = store.series(SeriesKey.parse("late{job=\"contract\"}"));
        long tolerance = tolerance().toMillis();
        long newest = T0 + 10 * tolerance + 1_000;
        AppendResult r = store.appendDurable(Batch.builder()
                .add(id, newest, 1)
                .add(id, newest - tolerance, 2)
                .add(id, newest - tolerance, 3)
                .add(id, newest - tolerance - 1, 4)
                .build());
        assertThat(r).isEqualTo(new AppendResult(3, 1));
        Samples s = store.raw(id, Long.MIN_VALUE, Long.MAX_VALUE);
        assertThat(s.timestamps()).containsExactly(newest - tolerance, newest);
        assertThat(s.values()).containsExactly(3, 1);
        assertThat(store.stats().samplesRejected()).isEqualTo(1);
    }

    @Test
    void reportsTheLatestSampleBeforeAndAfterCheckpointsAndKeepsSeriesIds() throws IOException {
        List<Samples> written = load(3, 4);
        for (int s = 0; s < written.size(); s++) {
            Samples w = written.get(s);
            assertThat(store.latest(new SeriesId(s))).contains(new Sample(w.timestamps()[w.size() - 1], w.values()[w.size() - 1]));
        }
        reopen();
        for (int s = 0; s < written.size(); s++) {
            assertThat(store.find(key(s))).contains(new SeriesId(s));
            assertThat(store.key(new SeriesId(s))).isEqualTo(key(s));
        }
        assertThat(store.series(SeriesKey.parse("new_series"))).isEqualTo(new SeriesId(written.size()));
        assertThat(store.latest(new SeriesId(written.size()))).isEmpty();
    }

    private void reopen() throws IOException {
        store.close();
        store = open(dir, clock);
    }

    static SeriesKey key(int s) {
        return SeriesKey.parse("contract_gauge{series=\"" + s + "\"}");
    }

    /**
     * Appends {@code series} series over {@link #span()}: jittered 10 s intervals, decimal random
     * walks with an occasional special value, checkpointing every {@link #checkpointEvery()} as
     * the clock follows the data.
     */
    List<Samples> load(int series, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        List<SeriesId> ids = new ArrayList<>();
        List<SampleBuffer> data = new ArrayList<>();
        double[] level = new double[series];
        for (int s = 0; s < series; s++) {
            ids.add(store.series(key(s)));
            data.add(new SampleBuffer(64));
        }
        long end = T0 + span().toMillis();
        long nextCheckpoint = T0 + checkpointEvery().toMillis();
        Batch.Builder batch = Batch.builder();
        for (long t = T0; t < end; t += 10_000) {
            for (int s = 0; s < series; s++) {
                long ts = Math.min(end - 1, t + random.nextInt(0, 3_000));
                level[s] = Math.round((level[s] + random.nextGaussian()) * 100) / 100.0;
                double v = random.nextInt(500) == 0 ? SPECIALS[random.nextInt(SPECIALS.length)] : level[s];
                batch.add(ids.get(s), ts, v);
                data.get(s).add(ts, v);
            }
            if (t >= nextCheckpoint) {
                store.appendDurable(batch.build());
                batch = Batch.builder();
                clock.set(t);
                store.checkpoint();
                nextCheckpoint += checkpointEvery().toMillis();
            }
        }
        store.appendDurable(batch.build());
        clock.set(end);
        List<Samples> out = new ArrayList<>();
        for (SampleBuffer b : data) {
            out.add(b.toSamples());
        }
        return out;
    }

    private void assertReadsBack(List<Samples> written) {
        for (int s = 0; s < written.size(); s++) {
            assertThat(store.raw(new SeriesId(s), Long.MIN_VALUE, Long.MAX_VALUE)).as("series %d", s).isEqualTo(written.get(s));
            Samples w = written.get(s);
            long from = w.timestamps()[w.size() / 3];
            long to = w.timestamps()[w.size() / 2];
            assertThat(store.raw(new SeriesId(s), from, to).size()).isEqualTo(w.size() / 2 - w.size() / 3);
        }
    }

    private void assertRollups(List<Samples> written) {
        for (int s = 0; s < written.size(); s++) {
            Samples w = written.get(s);
            for (Duration step : steps()) {
                assertThat(store.buckets(new SeriesId(s), step, Long.MIN_VALUE, Long.MAX_VALUE))
                        .as("series %d step %s", s, step)
                        .isEqualTo(BruteForce.buckets(w.timestamps(), w.values(), step.toMillis()));
            }
        }
    }

    static List<M4.Column> bruteM4(Samples s, long from, long to, int width) {
        TreeMap<Integer, double[]> columns = new TreeMap<>();
        for (int i = 0; i < s.size(); i++) {
            long t = s.timestamps()[i];
            double v = s.values()[i];
            if (t < from || t >= to || Double.isNaN(v)) {
                continue;
            }
            int x = M4.column(t, from, to, width);
            double[] c = columns.get(x);
            if (c == null) {
                columns.put(x, new double[] {v, v, v, v});
            } else {
                c[1] = v;
                c[2] = Math.min(c[2], v);
                c[3] = Math.max(c[3], v);
            }
        }
        List<M4.Column> out = new ArrayList<>();
        columns.forEach((x, c) -> out.add(new M4.Column(x, c[0], c[1], c[2], c[3])));
        return out;
    }
}
