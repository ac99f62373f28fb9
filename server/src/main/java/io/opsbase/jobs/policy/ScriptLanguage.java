package io.opsbase.jobs.policy;

import java.util.Locale;

/** The languages a job script can be written in, and {@code ANY} for rules that look at every language. */
public enum ScriptLanguage {
    ANY,
    BASH,
    SH,
    PYTHON,
    POWERSHELL;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code bash}, {@code Bash}, {@code powershell}…; throws {@link IllegalArgumentException} otherwise. */
    public static ScriptLanguage of(String key) {
        return valueOf(key.strip().toUpperCase(Locale.ROOT));
    }

    boolean isShell() {
        return this == BASH || this == SH;
    }

    /**
     * Whether a rule written for this language looks at a command of {@code dialect}. bash and sh rules apply to
     * both shells (and to shell commands a Python script hands to {@code os.system} or {@code subprocess}).
     */
    boolean covers(ScriptLanguage dialect) {
        return this == ANY || this == dialect || (isShell() && dialect.isShell());
    }
}
