package io.opsbase.discovery.internal;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import io.opsbase.discovery.MatchReason;

/** A row of discovery_hosts with its MACs: the evidence a discovered CI was last seen with. */
public record StoredHost(long ciId, Long agentId, String hostname, HostEvidence evidence, String os, String cpu,
        Integer cpuCores, Long memoryBytes, String contentHash, int score, String confidence, List<MatchReason> reasons,
        Instant firstSeenAt, Instant lastReportAt) {

    public Set<String> macs() {
        return evidence.macs();
    }
}
