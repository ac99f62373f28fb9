package io.opsbase.jobs.schedule;

import java.util.Locale;

/** What a fire time that passed while no server was running (or the firer lagged) does. */
public enum MisfirePolicy {
    /** Nothing runs for the missed fire times; the schedule waits for its next one. */
    SKIP,
    /** One run starts for all missed fire times together, then the schedule waits for its next one. */
    RUN_ONCE;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static MisfirePolicy of(String key) {
        return valueOf(key.strip().toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
