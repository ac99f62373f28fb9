package io.opsbase.cmdb;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Which way a relation type carries a failure. Stored per type in {@code relation_types.impact_flow}.
 */
public enum ImpactFlow {
    /** The source needs the target: a failed target impacts the source (runs_on, hosted_in, depends_on, connects_to). */
    TO_SOURCE,
    /** The target is made of the source: a failed source impacts the target (member_of, contains). */
    TO_TARGET;

    @JsonValue
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    static ImpactFlow of(String column) {
        return valueOf(column.toUpperCase(java.util.Locale.ROOT));
    }
}
