package io.opsbase.jobs;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A job run's lifecycle, with its one transition table. A run starts {@code running}, or
 * {@code awaiting_approval} when the dangerous-command policy asks for it; it waits in
 * {@code awaiting_confirmation} at a confirmation step, between rolling batches and after a canary;
 * it ends {@code succeeded} (every host's last step succeeded), {@code failed} or {@code cancelled}.
 */
public enum RunState {
    AWAITING_APPROVAL, RUNNING, AWAITING_CONFIRMATION, SUCCEEDED, FAILED, CANCELLED;

    private static final Map<RunState, Set<RunState>> NEXT = Map.of(
            AWAITING_APPROVAL, EnumSet.of(RUNNING, CANCELLED),
            RUNNING, EnumSet.of(AWAITING_CONFIRMATION, SUCCEEDED, FAILED, CANCELLED),
            AWAITING_CONFIRMATION, EnumSet.of(RUNNING, CANCELLED),
            SUCCEEDED, EnumSet.noneOf(RunState.class),
            FAILED, EnumSet.noneOf(RunState.class),
            CANCELLED, EnumSet.noneOf(RunState.class));

    public boolean canBecome(RunState next) {
        return NEXT.get(this).contains(next);
    }

    public boolean finished() {
        return NEXT.get(this).isEmpty();
    }

    @JsonValue
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RunState of(String key) {
        return valueOf(key.toUpperCase(Locale.ROOT));
    }
}
