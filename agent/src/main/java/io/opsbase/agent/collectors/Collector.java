package io.opsbase.agent.collectors;

import java.io.IOException;
import java.util.function.Consumer;

import io.opsbase.agent.plugins.MetricPoint;

/**
 * A built-in collector: reads one area of the host (mostly from {@code /proc} and {@code /sys}) and
 * hands out its metrics. Collectors that report rates keep the previous reading and report nothing
 * on their first call. Each collector is called by one thread at a time.
 */
public interface Collector {

    /** The collector's name in templates ({@code cpu}, {@code memory}, …). */
    String name();

    /** Reads the host at {@code nowMillis} (the collection time, from the agent's clock). */
    void collect(long nowMillis, Consumer<MetricPoint> out) throws IOException;
}
