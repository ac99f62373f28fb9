package io.opsbase.jobs.policy;

/** What the policy says about a script; later constants are stricter. */
public enum Verdict {
    ALLOW,
    REQUIRE_APPROVAL,
    BLOCK;

    /** The stricter of the two verdicts. */
    public Verdict max(Verdict other) {
        return other.ordinal() > ordinal() ? other : this;
    }
}
