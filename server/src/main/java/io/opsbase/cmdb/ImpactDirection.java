package io.opsbase.cmdb;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Which way an impact analysis walks. {@code DOWNSTREAM}: what breaks if the root fails (follows
 * each relation type's {@link ImpactFlow}). {@code UPSTREAM}: what the root needs to work (walks
 * the flow backwards).
 */
public enum ImpactDirection {
    DOWNSTREAM, UPSTREAM;

    @JsonValue
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ImpactDirection of(String text) {
        return valueOf(text.toUpperCase(Locale.ROOT));
    }
}
