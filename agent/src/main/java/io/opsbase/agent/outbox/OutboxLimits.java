package io.opsbase.agent.outbox;

/** How much the outbox holds before it drops its oldest entries. */
public record OutboxLimits(int maxEntries, long maxBytes) {

    /** Room for hours of reports during a server outage, yet bounded on a small disk. */
    public static final OutboxLimits STANDARD = new OutboxLimits(10_000, 256L * 1024 * 1024);

    public OutboxLimits {
        if (maxEntries < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("outbox limits must be positive");
        }
    }
}
