package io.opsbase.jobs;

import java.util.List;

/**
 * Hosts whose latest step ended alike — same state, exit code and byte-identical output — so a
 * 20,000-host run reads as a handful of groups. {@code sample} is the start of the shared output;
 * {@code ciIds} lists the first hosts of the group.
 */
public record ResultGroup(HostTaskState state, Integer exitCode, String outputHash, int count, String sample,
        List<Long> ciIds) {
}
