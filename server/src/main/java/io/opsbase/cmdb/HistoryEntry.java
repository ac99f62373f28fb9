package io.opsbase.cmdb;

import java.time.Instant;

import tools.jackson.databind.JsonNode;

/**
 * One field-level change of a CI, its components or its relations. {@code before}/{@code after}
 * are JSON values, null when absent. Fields: {@code ci} (created: after is the whole document),
 * {@code name}, {@code state}, {@code ownerTeam}, {@code tags}, {@code retired},
 * {@code attributes.<name>}, {@code component.<kind>[<identity>]} (added/removed) and
 * {@code component.<kind>[<identity>].<attribute>}, {@code relation.<type>-><ciId>}.
 *
 * @param ciVersion the CI version this change produced; null when it did not change the CI document
 */
public record HistoryEntry(
        long id,
        long ciId,
        Instant changedAt,
        String actor,
        String source,
        String reason,
        String requestId,
        String changeKind,
        String field,
        JsonNode before,
        JsonNode after,
        Integer ciVersion) {
}
