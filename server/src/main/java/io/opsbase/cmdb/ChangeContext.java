package io.opsbase.cmdb;

import java.util.regex.Pattern;

/**
 * Who changes the CMDB, through which channel and why. Every history row and audit record of a
 * change carries it.
 *
 * @param actor  user name, agent id or {@code system}; never blank
 * @param source {@code ui}, {@code api}, {@code import}, {@code discovery}, {@code system},
 *               {@code change:<id>} or {@code job:<id>}
 * @param reason free text, optional
 */
public record ChangeContext(String actor, String source, String reason) {

    private static final Pattern SOURCE = Pattern.compile("ui|api|import|discovery|system|change:[A-Za-z0-9._-]{1,56}|job:[A-Za-z0-9._-]{1,56}");

    public ChangeContext {
        if (actor == null || actor.isBlank() || actor.length() > 100) {
            throw new IllegalArgumentException("actor must be 1-100 characters");
        }
        if (source == null || !SOURCE.matcher(source).matches()) {
            throw new IllegalArgumentException("source must be ui, api, import, discovery, system, change:<id> or job:<id>: " + source);
        }
        reason = reason == null || reason.isBlank() ? null : reason.strip();
    }

    public static ChangeContext api(String actor, String reason) {
        return new ChangeContext(actor, "api", reason);
    }

    public static ChangeContext ui(String actor, String reason) {
        return new ChangeContext(actor, "ui", reason);
    }

    public ChangeContext withReason(String newReason) {
        return new ChangeContext(actor, source, newReason);
    }
}
