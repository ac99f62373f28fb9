package io.opsbase.jobs;

import java.util.List;

/** {@code GET /api/v1/runs/{id}}: the run, its hosts (the first {@code hostLimit}) and the result groups. */
public record RunDetail(JobRun run, List<HostResult> hosts, boolean hostsTruncated, List<ResultGroup> groups) {
}
