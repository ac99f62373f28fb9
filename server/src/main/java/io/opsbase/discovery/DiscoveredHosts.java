package io.opsbase.discovery;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
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

    /** The hosts page's filters; null or blank means no filter. {@code status} is one of {@link #STATUSES}. */
    public record HostFilter(String text, String os, String status) {

        public HostFilter {
            text = text == null || text.isBlank() ? null : text.strip();
            os = os == null || os.isBlank() ? null : os.strip();
            status = status == null || status.isBlank() ? null : status.strip();
            if (status != null && !STATUSES.contains(status)) {
                throw new BadRequestException("status must be one of " + STATUSES);
            }
        }
    }

    /** A host's status as the hosts page shows it: see {@link #statusOf(HostSummary)}. */
    public static final List<String> STATUSES = List.of("online", "offline", "stale");

    /** {@code stale} when not seen within the stale window, else {@code online} when its agent is, else {@code offline}. */
    public static String statusOf(HostSummary host) {
        return host.stale() ? "stale" : "online".equals(host.agentStatus()) ? "online" : "offline";
    }

    /**
     * Hosts by CI id for the hosts page. Text and OS are filtered in the database; status depends
     * on the agents' registry, so rows are read in batches until the page is full. Unlike
     * {@link #list}, every page but the last holds exactly {@code limit} hosts.
     */
    @Transactional(readOnly = true)
    public Page<HostSummary> search(HostFilter filter, String cursor, int limit) {
        long last;
        try {
            last = cursor == null ? 0 : Long.parseLong(cursor);
        } catch (NumberFormatException e) {
            throw new BadRequestException("cursor is not one this API issued");
        }
        int size = Math.clamp(limit <= 0 ? 50 : limit, 1, 500);
        int batch = filter.status() == null ? size + 1 : Math.max(size + 1, 200);
        List<HostSummary> items = new ArrayList<>();
        while (true) {
            List<StoredHost> rows = hosts.page(last, batch, filter.text(), filter.os());
            var byId = agents.find(rows.stream().map(StoredHost::agentId).filter(Objects::nonNull).toList());
            for (StoredHost h : rows) {
                HostSummary s = summary(h, h.agentId() == null ? null : byId.get(h.agentId()));
                if (filter.status() == null || filter.status().equals(statusOf(s))) {
                    if (items.size() == size) {
                        return new Page<>(List.copyOf(items), Long.toString(items.getLast().ciId()), null);
                    }
                    items.add(s);
                }
                last = h.ciId();
            }
            if (rows.size() < batch) {
                return new Page<>(List.copyOf(items), null, null);
            }
        }
    }

    /** The operating systems discovered hosts run, for a filter. */
    @Transactional(readOnly = true)
    public List<String> operatingSystems() {
        return hosts.operatingSystems(200);
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
        return summary(h, agent);
    }

    private HostSummary summary(StoredHost h, AgentInfo agent) {
        Instant lastSeen = h.lastReportAt();
        if (agent != null && agent.lastSeenAt() != null && agent.lastSeenAt().isAfter(lastSeen)) {
            lastSeen = agent.lastSeenAt();
        }
        boolean stale = lastSeen.isBefore(clock.instant().minus(properties.staleAfter()));
        return new HostSummary(h.ciId(), h.hostname(), h.os(), h.cpu(), h.cpuCores(), h.memoryBytes(), h.lastReportAt(),
                lastSeen, h.agentId(), agent == null ? null : agent.status(), stale);
    }
}
