package io.opsbase.jobs.policy;

import java.time.Instant;

/**
 * A dangerous-command rule. {@code pattern} is a {@link java.util.regex.Pattern} searched in every normalised
 * command of a script in {@code language}. When {@code ciField} is set the rule only applies if at least one
 * target CI has {@code ciValue} there: an attribute name, or {@code tag}, {@code state}, {@code class},
 * {@code owner_team}.
 */
public record PolicyRule(long id, String name, ScriptLanguage language, String pattern, Verdict verdict, String ciField,
        String ciValue, String description, boolean enabled, boolean builtin, Instant updatedAt) {

    public boolean hasCiCondition() {
        return ciField != null;
    }
}
