package io.opsbase.jobs;

import java.util.List;

/**
 * {@code GET /api/v1/runs/{id}}: the run, one page of its hosts ({@code hostLimit} of them, in
 * target order, from {@code hostCursor}), the result groups, which always cover every host, and
 * the source uploads of its file steps that go from one host to others. {@code hostsNext} is the
 * cursor of the next page, null on the last; {@code hostsTruncated} says there is a next page.
 */
public record RunDetail(JobRun run, List<HostResult> hosts, boolean hostsTruncated, String hostsNext, List<ResultGroup> groups,
        List<FileSource> fileSources) {

    /**
     * A file step's source host upload: {@code state} uploading, stored (then {@code sha256} and
     * {@code size} say what the targets fetch) or failed ({@code message} says why).
     */
    public record FileSource(int step, long ciId, String ciName, String path, String state, String sha256, Long size,
            String message) {
    }
}
