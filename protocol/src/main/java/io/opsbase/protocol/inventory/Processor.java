package io.opsbase.protocol.inventory;

/** The host's processors of one model: {@code sockets} packages, each with cores and threads summed over all. */
public record Processor(String model, String vendor, int sockets, int cores, int threads, Long maxFrequencyHz) {
}
