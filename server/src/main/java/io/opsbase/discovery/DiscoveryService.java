package io.opsbase.discovery;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.opsbase.agents.AgentService;
import io.opsbase.cmdb.ChangeContext;
import io.opsbase.cmdb.CiService;
import io.opsbase.cmdb.ConfigurationItem;
import io.opsbase.discovery.internal.CaseRepository;
import io.opsbase.discovery.internal.DiscoveryAgentRepository;
import io.opsbase.discovery.internal.HostAdoption;
import io.opsbase.discovery.internal.HostEvidence;
import io.opsbase.discovery.internal.HostRepository;
import io.opsbase.discovery.internal.IdentityResolver;
import io.opsbase.discovery.internal.InventoryAttributes;
import io.opsbase.discovery.internal.InventoryReconciler;
import io.opsbase.discovery.internal.ReportRepository;
import io.opsbase.discovery.internal.ReportRepository.StoredReport;
import io.opsbase.discovery.internal.StoredCase;
import io.opsbase.platform.BadRequestException;
import io.opsbase.platform.ConflictException;
import io.opsbase.platform.InvalidInputException;
import io.opsbase.platform.NotFoundException;
import io.opsbase.platform.Page;

/**
 * The discovery feature's face: the approval and conflict queue and the decisions on it. A
 * decision writes the CMDB (source {@code discovery}, the deciding user as actor), binds the agent,
 * reconciles its latest inventory, closes the case and is audited — all in one transaction.
 */
@Service
public class DiscoveryService {

    private final CaseRepository cases;
    private final ReportRepository reports;
    private final HostRepository hosts;
    private final DiscoveryAgentRepository discoveryAgents;
    private final IdentityResolver resolver;
    private final HostAdoption adoption;
    private final CiService cis;
    private final AgentService agents;
    private final DiscoveryProperties properties;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    DiscoveryService(CaseRepository cases, ReportRepository reports, HostRepository hosts,
            DiscoveryAgentRepository discoveryAgents, IdentityResolver resolver, HostAdoption adoption, CiService cis,
            AgentService agents, DiscoveryProperties properties, ApplicationEventPublisher events, Clock clock) {
        this.cases = cases;
        this.reports = reports;
        this.hosts = hosts;
        this.discoveryAgents = discoveryAgents;
        this.resolver = resolver;
        this.adoption = adoption;
        this.cis = cis;
        this.agents = agents;
        this.properties = properties;
        this.events = events;
        this.clock = clock;
    }

    /** Cases by id; {@code status} defaults to {@code open} ({@code any} for all), {@code kind} null for both. */
    @Transactional(readOnly = true)
    public Page<DiscoveryCase> queue(String status, String kind, String cursor, int limit) {
        String s = status == null ? StoredCase.OPEN : status.equals("any") ? null : status;
        if (s != null && !List.of("open", "approved", "rejected", "merged", "kept-separate").contains(s)) {
            throw new BadRequestException("status must be open, approved, rejected, merged, kept-separate or any");
        }
        if (kind != null && !kind.equals(StoredCase.NEW_HOST) && !kind.equals(StoredCase.CONFLICT)) {
            throw new BadRequestException("kind must be new-host or conflict");
        }
        long after = parseCursor(cursor);
        int size = Math.clamp(limit <= 0 ? 50 : limit, 1, 500);
        List<StoredCase> rows = cases.list(s, kind, after, size + 1);
        boolean more = rows.size() > size;
        List<StoredCase> page = more ? rows.subList(0, size) : rows;
        return new Page<>(page.stream().map(this::view).toList(), more ? Long.toString(page.getLast().id()) : null, null);
    }

    /** How many cases are open (new hosts and conflicts waiting for a decision). */
    @Transactional(readOnly = true)
    public long openCount() {
        return cases.countOpen();
    }

    @Transactional(readOnly = true)
    public DiscoveryCase get(long caseId) {
        return view(cases.find(caseId).orElseThrow(() -> new NotFoundException("Discovery case", caseId)));
    }

    /**
     * Approves a new host: creates a CI of {@code decision.className()} (default from
     * {@link DiscoveryProperties}) in {@code decision.state()}, or binds to the existing CI
     * {@code decision.ciId()}; then binds the agent and applies its latest inventory.
     */
    @Transactional
    public DiscoveryCase approve(long caseId, CaseDecision decision, String actor) {
        StoredCase c = openCase(caseId);
        if (!c.kind().equals(StoredCase.NEW_HOST)) {
            throw new ConflictException("wrong-case-kind", "case " + caseId
                    + " is a conflict; resolve it with merge, keep-separate or reject");
        }
        StoredReport report = latestReport(c);
        ChangeContext ctx = context(actor, decision, "approved discovery case " + caseId);
        String resolution;
        if (decision.ciId() != null) {
            long ciId = bindable(decision.ciId(), c.agentId());
            adoption.adopt(ciId, c.agentId(), report.inventory(), report.contentHash(), identity(report, ciId), ctx,
                    hosts.find(ciId).isPresent());
            resolution = "bound to existing CI " + ciId;
        } else {
            long ciId = create(c, report, decision, ctx);
            resolution = "created CI " + ciId;
        }
        return close(c, "approved", actor, resolution, decision);
    }

    /** Rejects the case: the host gets no CI, and discovery keeps but no longer reconciles this agent's reports. */
    @Transactional
    public DiscoveryCase reject(long caseId, String reason, String actor) {
        StoredCase c = openCase(caseId);
        discoveryAgents.reject(c.agentId(), clock.instant());
        return close(c, "rejected", actor, "agent " + c.agentId() + " rejected; its reports are no longer reconciled",
                new CaseDecision(null, null, null, reason));
    }

    /**
     * Resolves a conflict as "the same host": the reporting agent takes over the CI (the case's, or
     * {@code decision.ciId()} among its candidates) and its inventory is applied there — a changed
     * serial becomes a recorded change of that CI.
     */
    @Transactional
    public DiscoveryCase merge(long caseId, CaseDecision decision, String actor) {
        StoredCase c = openConflict(caseId);
        Long target = decision.ciId() != null ? decision.ciId() : c.ciId();
        if (target == null) {
            throw new InvalidInputException("ciId", "is required: the case names no CI");
        }
        if (decision.ciId() != null && c.candidates().stream().noneMatch(m -> m.ciId() == decision.ciId())) {
            throw new InvalidInputException("ciId", "must be one of the case's candidates");
        }
        liveCi(target);
        StoredReport report = latestReport(c);
        ChangeContext ctx = context(actor, decision, "merged discovery conflict " + caseId + " (" + c.reason() + ")");
        adoption.adopt(target, c.agentId(), report.inventory(), report.contentHash(), identity(report, target), ctx, true);
        return close(c, "merged", actor, "agent " + c.agentId() + " now reports for CI " + target, decision);
    }

    /**
     * Resolves a conflict as "different hosts": a new CI is created for the reporting agent (a
     * unique serial the other CI holds is left out of it) and the conflicting CI is left untouched.
     */
    @Transactional
    public DiscoveryCase keepSeparate(long caseId, CaseDecision decision, String actor) {
        StoredCase c = openConflict(caseId);
        StoredReport report = latestReport(c);
        ChangeContext ctx = context(actor, decision, "kept discovery conflict " + caseId + " separate (" + c.reason() + ")");
        Long previous = agents.get(c.agentId()).ciId();
        long ciId = create(c, report, decision, ctx);
        if (previous != null && previous != ciId) {
            hosts.releaseAgent(previous);
        }
        return close(c, "kept-separate", actor, "created CI " + ciId + " for agent " + c.agentId()
                + (c.ciId() == null ? "" : "; CI " + c.ciId() + " left as it was"), decision);
    }

    /**
     * Re-applies the take-over rule to quarantined clones and duplicate identities: when the other
     * agent has been silent since the case opened and is no longer online (or is revoked), it was
     * the same host's previous agent — a re-enrollment or reinstall seen while its old agent still
     * counted as online — and the reporting agent takes the CI over, as it would have had it
     * reported a minute later. Returns the cases resolved. Runs every
     * {@code opsbase.discovery.review-every}; a case an admin already decided is left alone.
     */
    @Transactional
    public List<DiscoveryCase> reviewQuarantine() {
        List<DiscoveryCase> resolved = new ArrayList<>();
        for (StoredCase c : cases.openContested(500)) {
            var other = agents.get(c.otherAgentId());
            boolean silent = "revoked".equals(other.status()) || !"online".equals(other.status())
                    && (other.lastSeenAt() == null || !other.lastSeenAt().isAfter(c.createdAt()));
            if (silent && c.ciId() != null) {
                resolved.add(merge(c.id(), new CaseDecision(null, null, null, "agent " + c.otherAgentId()
                        + " went silent after agent " + c.agentId() + " appeared: a re-enrollment"), "system"));
            }
        }
        return resolved;
    }

    private long create(StoredCase c, StoredReport report, CaseDecision decision, ChangeContext ctx) {
        String className = decision.className() != null ? decision.className() : properties.approvalClass();
        String state = decision.state() != null ? decision.state() : properties.approvalState();
        long ciId = adoption.createCi(c.agentId(), report.inventory(), className, state, ctx);
        adoption.adopt(ciId, c.agentId(), report.inventory(), report.contentHash(),
                resolver.ofNewHost(HostEvidence.of(report.inventory()), ciId, c.agentId()), ctx, false);
        return ciId;
    }

    private DiscoveryCase close(StoredCase c, String status, String actor, String resolution, CaseDecision decision) {
        String text = decision.reason() == null ? resolution : resolution + " (reason: " + decision.reason() + ")";
        cases.resolve(c.id(), status, actor, text, clock.instant());
        events.publishEvent(new DiscoveryEvent("discovery." + status, "discovery-case", Long.toString(c.id()),
                c.kind() + (c.reason() == null ? "" : " " + c.reason()) + " of agent " + c.agentId() + ": " + text, actor));
        return get(c.id());
    }

    /** The identity evidence of the report against the CI it is being bound to. */
    private IdentityMatch identity(StoredReport report, long ciId) {
        return resolver.resolve(HostEvidence.of(report.inventory()), ciId).stream()
                .filter(m -> m.ciId() == ciId).findFirst()
                .orElseGet(() -> new IdentityMatch(ciId, 0, "low", false, false, List.of(), null));
    }

    /** A live CI no other live agent reports for. */
    private long bindable(long ciId, long agentId) {
        liveCi(ciId);
        hosts.find(ciId).map(h -> h.agentId()).filter(other -> other != agentId)
                .filter(other -> "online".equals(agents.get(other).status()))
                .ifPresent(other -> {
                    throw new ConflictException("host-claimed", "agent " + other + " is live and reports for CI " + ciId
                            + "; resolve it as a conflict instead", Map.of("agentId", other));
                });
        return ciId;
    }

    private void liveCi(long ciId) {
        ConfigurationItem ci;
        try {
            ci = cis.get(ciId);
        } catch (NotFoundException e) {
            throw new InvalidInputException("ciId", "no CI has id " + ciId);
        }
        if (ci.retired()) {
            throw new InvalidInputException("ciId", "CI " + ciId + " is retired");
        }
    }

    private StoredCase openCase(long caseId) {
        StoredCase c = cases.findForUpdate(caseId).orElseThrow(() -> new NotFoundException("Discovery case", caseId));
        if (!c.open()) {
            throw new ConflictException("case-closed", "case " + caseId + " is already " + c.status());
        }
        return c;
    }

    private StoredCase openConflict(long caseId) {
        StoredCase c = openCase(caseId);
        if (!c.kind().equals(StoredCase.CONFLICT)) {
            throw new ConflictException("wrong-case-kind", "case " + caseId + " is a new host; approve or reject it");
        }
        return c;
    }

    private StoredReport latestReport(StoredCase c) {
        return reports.latest(c.agentId()).orElseThrow(() -> new ConflictException("no-report",
                "agent " + c.agentId() + " has no stored inventory"));
    }

    private static ChangeContext context(String actor, CaseDecision decision, String reason) {
        return new ChangeContext(actor, InventoryReconciler.SOURCE, decision.reason() == null ? reason
                : reason + ": " + decision.reason());
    }

    private DiscoveryCase view(StoredCase c) {
        var report = reports.latest(c.agentId());
        var reported = report.map(r -> InventoryAttributes.reported(r.inventory())).orElse(Map.of());
        String hostname = report.map(r -> r.inventory().hostname()).orElse(null);
        return new DiscoveryCase(c.id(), c.agentId(), c.kind(), c.reason(), c.status(), c.ciId(), c.otherAgentId(),
                hostname, c.score(), c.confidence(), new ArrayList<>(c.candidates()), reported, c.detail(), c.createdAt(),
                c.updatedAt(), c.resolvedAt(), c.resolvedBy(), c.resolution());
    }

    private static long parseCursor(String cursor) {
        if (cursor == null) {
            return 0;
        }
        try {
            return Long.parseLong(cursor);
        } catch (NumberFormatException e) {
            throw new BadRequestException("cursor is not one this API issued");
        }
    }
}
