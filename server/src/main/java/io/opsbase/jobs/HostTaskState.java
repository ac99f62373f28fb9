package io.opsbase.jobs;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * One host's task in one step, with its transition table. {@code pending} until its batch is
 * dispatched; {@code dispatched} once queued for the agent; {@code running} from the first output
 * chunk; then how it ended. {@code lost}: the agent did not finish it within the step timeout plus
 * grace (vanished, restarted, never polled). {@code skipped}: the failure policy stopped the run
 * before its turn.
 */
public enum HostTaskState {
    PENDING, DISPATCHED, RUNNING, SUCCEEDED, FAILED, TIMED_OUT, CANCELLED, LOST, SKIPPED;

    private static final Set<HostTaskState> IN_FLIGHT = EnumSet.of(DISPATCHED, RUNNING);
    private static final Set<HostTaskState> FAILURES = EnumSet.of(FAILED, TIMED_OUT, LOST);
    private static final Map<HostTaskState, Set<HostTaskState>> NEXT = Map.of(
            PENDING, EnumSet.of(DISPATCHED, FAILED, CANCELLED, SKIPPED),
            DISPATCHED, EnumSet.of(RUNNING, SUCCEEDED, FAILED, TIMED_OUT, CANCELLED, LOST),
            RUNNING, EnumSet.of(SUCCEEDED, FAILED, TIMED_OUT, CANCELLED, LOST),
            SUCCEEDED, EnumSet.noneOf(HostTaskState.class),
            FAILED, EnumSet.noneOf(HostTaskState.class),
            TIMED_OUT, EnumSet.noneOf(HostTaskState.class),
            CANCELLED, EnumSet.noneOf(HostTaskState.class),
            LOST, EnumSet.noneOf(HostTaskState.class),
            SKIPPED, EnumSet.noneOf(HostTaskState.class));

    public boolean canBecome(HostTaskState next) {
        return NEXT.get(this).contains(next);
    }

    public boolean inFlight() {
        return IN_FLIGHT.contains(this);
    }

    public boolean finished() {
        return NEXT.get(this).isEmpty();
    }

    /** Counts against the failure policy. */
    public boolean failure() {
        return FAILURES.contains(this);
    }

    @JsonValue
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static HostTaskState of(String key) {
        return valueOf(key.toUpperCase(Locale.ROOT));
    }
}
