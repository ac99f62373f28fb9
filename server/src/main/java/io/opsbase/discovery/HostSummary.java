package io.opsbase.discovery;

import java.time.Instant;

/**
 * A discovered host in the hosts list. {@code lastSeenAt} is the later of its last inventory and
 * its agent's last request; {@code stale} when that is older than {@code opsbase.discovery.stale-after}.
 */
public record HostSummary(long ciId, String hostname, String os, String cpu, Integer cpuCores, Long memoryBytes,
        Instant lastReportAt, Instant lastSeenAt, Long agentId, String agentStatus, boolean stale) {
}
