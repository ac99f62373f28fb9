package io.opsbase.discovery;

/**
 * One piece of identity evidence and what it contributed to a match score.
 *
 * @param evidence {@code agent-binding}, {@code smbios-uuid}, {@code serial+manufacturer}, {@code serial},
 *                 {@code machine-id}, {@code mac-set}, {@code hostname}, or a contradiction
 *                 ({@code serial-differs}, {@code smbios-uuid-differs}); informational reasons weigh 0
 * @param weight   points added to (negative: taken from) the score
 * @param detail   a sentence for the admin
 */
public record MatchReason(String evidence, int weight, String detail) {
}
