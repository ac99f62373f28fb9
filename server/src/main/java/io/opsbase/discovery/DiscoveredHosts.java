package io.opsbase.discovery;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.opsbase.agents.AgentInfo;
import io.opsbase.agents.AgentService;
import io.opsbase.cmdb.CiComponents;
import io.opsbase.discovery.internal.HostRepository;
import io.opsbase.discovery.internal.ProvenanceRepository;
import io.opsbase.discovery.internal.ReportRepository;
import io.opsbase.discovery.internal.StoredHost;
import io.opsbase.platform.BadRequestException;
import io.opsbase.platform.NotFoundException;
import io.opsbase.platform.Page;

/** Read side of discovery: the hosts it reconciles, with their agent, staleness, evidence and latest inventory. */
@Service
public class DiscoveredHosts {

    /** Reasons that identify one machine; a match needs one of them (see {@link IdentityMatch#decisive()}). */
    private static final Set<String> ANCHORS = Set.of("agent-binding", "smbios-uuid", "serial+manufacturer", "machine-id");

    private final HostRepository hosts;
    private final ReportRepository reports;
    private final ProvenanceRepository provenance;
    private final CiComponents components;
    private final AgentService agents;
    private final DiscoveryProperties properties;
    private final Clock clock;

    DiscoveredHosts(HostRepository hosts, ReportRepository reports, ProvenanceRepository provenance,
            CiComponents components, AgentService agents, DiscoveryProperties properties, Clock clock) {
        this.hosts = hosts;
        this.reports = reports;
        this.provenance = provenance;
        this.components = components;
        this.agents = agents;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * Hosts by CI id. {@code q} filters on the hostname, {@code stale} on staleness; the stale filter
     * is applied per page, so a filtered page may hold fewer than {@code limit} items while
     * {@code next} still leads on.
     */
    @Transactional(readOnly = true)
    public Page<HostSummary> list(String q, Boolean stale, String cursor, int limit) {
        long after;
        try {
            after = cursor == null ? 0 : Long.parseLong(cursor);
        } catch (NumberFormatException e) {
            throw new BadRequestException("cursor is not one this API issued");
        }
        int size = Math.clamp(limit <= 0 ? 50 : limit, 1, 500);
        List<StoredHost> rows = hosts.list(after, size + 1, q == null || q.isBlank() ? null : q.strip());
        boolean more = rows.size() > size;
        List<StoredHost> page = more ? rows.subList(0, size) : rows;
        List<HostSummary> items = new ArrayList<>();
        for (StoredHost h : page) {
            HostSummary s = summary(h);
            if (stale == null || s.stale() == stale) {
                items.add(s);
            }
        }
        return new Page<>(List.copyOf(items), more ? Long.toString(page.getLast().ciId()) : null, null);
    }

    @Transactional(readOnly = true)
    public HostDetail get(long ciId) {
        StoredHost h = hosts.find(ciId).orElseThrow(() -> new NotFoundException("Discovered host", ciId));
        boolean anchored = h.reasons().stream().anyMatch(r -> ANCHORS.contains(r.evidence()) && r.weight() > 0
                || r.evidence().equals("serial") && r.weight() >= 35);
        boolean contradicted = h.reasons().stream().anyMatch(r -> r.weight() < 0);
        var identity = new IdentityMatch(ciId, h.score(), h.confidence(), anchored, contradicted, h.reasons(), h.agentId());
        var inventory = h.agentId() == null ? null
                : reports.latest(h.agentId()).map(ReportRepository.StoredReport::inventory).orElse(null);
        return new HostDetail(summary(h), identity, inventory, components.list(ciId, null), provenance.list(ciId));
    }

    private HostSummary summary(StoredHost h) {
        AgentInfo agent = null;
        if (h.agentId() != null) {
            try {
                agent = agents.get(h.agentId());
            } catch (NotFoundException e) {
                agent = null;
            }
        }
        Instant lastSeen = h.lastReportAt();
        if (agent != null && agent.lastSeenAt() != null && agent.lastSeenAt().isAfter(lastSeen)) {
            lastSeen = agent.lastSeenAt();
        }
        boolean stale = lastSeen.isBefore(clock.instant().minus(properties.staleAfter()));
        return new HostSummary(h.ciId(), h.hostname(), h.os(), h.cpu(), h.cpuCores(), h.memoryBytes(), h.lastReportAt(),
                lastSeen, h.agentId(), agent == null ? null : agent.status(), stale);
    }
}
