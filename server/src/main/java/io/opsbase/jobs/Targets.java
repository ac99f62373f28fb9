package io.opsbase.jobs;

import java.util.List;

/**
 * Which hosts a run reaches: explicit CI ids, a CMDB search (the query string of
 * {@code GET /api/v1/cis}, e.g. {@code class=Host&tag=web}, or plain text for {@code q}) resolved
 * when the run starts, or a saved host group. Exactly one.
 */
public record Targets(List<Long> ciIds, String query, Long groupId) {
}
