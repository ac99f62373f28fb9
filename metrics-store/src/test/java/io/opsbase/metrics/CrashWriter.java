package io.opsbase.metrics;

import java.nio.file.Path;

/**
 * Run in a child JVM by {@link ChildProcessCrashTest}: writes rounds of samples to ten series,
 * printing {@code acked <round>} after each round is durable, checkpointing now and then, until
 * it is killed.
 */
public final class CrashWriter {

    static final int SERIES = 10;
    static final int PER_ROUND = 200;
    static final long T0 = 1_800_000_000_000L;

    public static void main(String[] args) throws Exception {
        StoreConfig config = StoreConfig.defaults(Path.of(args[0])).withClock(new MutableClock(T0));
        DiskMetricStore store = DiskMetricStore.open(config);
        SeriesId[] ids = new SeriesId[SERIES];
        for (int s = 0; s < SERIES; s++) {
            ids[s] = store.series(SeriesKey.parse("crash_test{series=\"" + s + "\"}"));
        }
        for (int round = 0; ; round++) {
            Batch.Builder batch = Batch.builder();
            for (int s = 0; s < SERIES; s++) {
                for (int i = round * PER_ROUND; i < (round + 1) * PER_ROUND; i++) {
                    batch.add(ids[s], timestamp(i), value(s, i));
                }
            }
            store.appendDurable(batch.build());
            System.out.println("acked " + round);
            System.out.flush();
            if (round % 25 == 24) {
                store.checkpoint();
            }
        }
    }

    static long timestamp(int i) {
        return T0 + i * 5_000L;
    }

    static double value(int series, int i) {
        return series * 1000 + (i % 977) * 0.25;
    }
}
