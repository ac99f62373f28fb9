package io.opsbase.auth;

import java.util.Locale;

/**
 * What a user may do. Viewers read; operators and admins write; auditors read, including the
 * audit log; only admins manage users and the CMDB schema.
 */
public enum Role {
    ADMIN, OPERATOR, VIEWER, AUDITOR;

    /** Spring Security authority name, e.g. {@code ROLE_ADMIN}. */
    public String authority() {
        return "ROLE_" + name();
    }

    /** Lower-case name as stored and shown in the API. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role fromKey(String key) {
        return valueOf(key.toUpperCase(Locale.ROOT));
    }
}
