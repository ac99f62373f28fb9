package io.opsbase.jobs;

import java.util.List;

/**
 * {@code GET /api/v1/runs/{id}}: the run, one page of its hosts ({@code hostLimit} of them, in
 * target order, from {@code hostCursor}) and the result groups, which always cover every host.
 * {@code hostsNext} is the cursor of the next page, null on the last; {@code hostsTruncated} says
 * there is a next page.
 */
public record RunDetail(JobRun run, List<HostResult> hosts, boolean hostsTruncated, String hostsNext, List<ResultGroup> groups) {
}
