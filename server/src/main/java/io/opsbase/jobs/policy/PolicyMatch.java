package io.opsbase.jobs.policy;

/** One rule that matched: which rule, what it decides, and the normalised command text it matched. */
public record PolicyMatch(long ruleId, String ruleName, Verdict verdict, String matched) {}
