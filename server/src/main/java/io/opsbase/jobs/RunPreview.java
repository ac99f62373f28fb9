package io.opsbase.jobs;

import java.util.List;

/**
 * What a run would touch: its hosts, how many have a live agent, and the business services that
 * depend on them (impact analysis of the first {@code analysedHosts} hosts).
 */
public record RunPreview(int hostCount, int withAgent, List<Long> ciIds, boolean ciIdsTruncated,
        List<Service> businessServices, int analysedHosts) {

    public record Service(long id, String name) {
    }
}
