package io.opsbase.discovery.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import io.opsbase.agents.AgentInfo;
import io.opsbase.agents.AgentService;
import io.opsbase.cmdb.ChangeContext;
import io.opsbase.discovery.DiscoveryEvent;
import io.opsbase.discovery.DiscoveryProperties;
import io.opsbase.discovery.IdentityMatch;
import io.opsbase.discovery.internal.DiscoveryAgentRepository.DiscoveryAgent;
import io.opsbase.discovery.internal.ReconciliationPolicy.Adopt;
import io.opsbase.discovery.internal.ReconciliationPolicy.Create;
import io.opsbase.discovery.internal.ReconciliationPolicy.Queue;
import io.opsbase.platform.InvalidInputException;
import io.opsbase.platform.InvalidInputException.FieldViolation;
import io.opsbase.protocol.Acknowledgement;
import io.opsbase.protocol.InventoryRequest;
import io.opsbase.protocol.inventory.Disk;
import io.opsbase.protocol.inventory.Inventory;
import io.opsbase.protocol.inventory.InventoryHash;
import io.opsbase.protocol.inventory.MemoryModule;
import io.opsbase.protocol.inventory.Processor;

/**
 * An agent's inventory report, end to end, in one transaction: idempotency, storage of the latest
 * report, identity resolution, the approval / conflict policy and reconciliation. Reports of one
 * agent are serialised on its discovery_agents row; the resolution of unbound agents on a lock
 * per piece of evidence, so two reports of the same new hardware cannot both decide it is new.
 */
@Component
public class InventoryIntake {

    private final DiscoveryAgentRepository discoveryAgents;
    private final ReportRepository reports;
    private final HostRepository hosts;
    private final ProvenanceRepository provenance;
    private final CaseRepository cases;
    private final IdentityResolver resolver;
    private final HostAdoption adoption;
    private final InventoryReconciler reconciler;
    private final AgentService agents;
    private final DiscoveryProperties properties;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    InventoryIntake(DiscoveryAgentRepository discoveryAgents, ReportRepository reports, HostRepository hosts,
            ProvenanceRepository provenance, CaseRepository cases, IdentityResolver resolver, HostAdoption adoption,
            InventoryReconciler reconciler, AgentService agents,
            DiscoveryProperties properties, ApplicationEventPublisher events, Clock clock) {
        this.discoveryAgents = discoveryAgents;
        this.reports = reports;
        this.hosts = hosts;
        this.provenance = provenance;
        this.cases = cases;
        this.resolver = resolver;
        this.adoption = adoption;
        this.reconciler = reconciler;
        this.agents = agents;
        this.properties = properties;
        this.events = events;
        this.clock = clock;
    }

    @Transactional
    public Acknowledgement accept(long agentId, InventoryRequest request) {
        String hash = validate(request);
        Instant now = clock.instant();
        DiscoveryAgent agent = discoveryAgents.lock(agentId, now);
        if (!reports.remember(agentId, request.idempotencyKey(), now)) {
            return new Acknowledgement(request.idempotencyKey(), Acknowledgement.Status.DUPLICATE, now);
        }
        String outcome = reconcile(agentId, agent, request.inventory(), hash, now);
        reports.store(agentId, request.idempotencyKey(), hash, request.collectedAt(), now, request.inventory(), outcome);
        return new Acknowledgement(request.idempotencyKey(), Acknowledgement.Status.ACCEPTED, now);
    }

    private String reconcile(long agentId, DiscoveryAgent agent, Inventory inv, String hash, Instant now) {
        if (agent.rejectedAt() != null) {
            return "ignored";
        }
        AgentInfo info = agents.get(agentId);
        HostEvidence evidence = HostEvidence.of(inv);
        ChangeContext ctx = new ChangeContext("agent:" + agentId, InventoryReconciler.SOURCE, null);
        Optional<StoredCase> open = cases.openFor(agentId);
        if (info.ciId() != null) {
            return reconcileBound(agentId, info.ciId(), inv, hash, evidence, open, ctx, now);
        }
        discoveryAgents.lockResolution(evidence.resolutionKeys());
        List<IdentityMatch> candidates = resolver.resolve(evidence, null);
        var decision = ReconciliationPolicy.decide(agentId, agent.autoApprove(), candidates, this::live);
        if (open.isPresent()) {
            // An open case waits for its admin; new reports only refresh its evidence.
            StoredCase c = open.get();
            IdentityMatch subject = decision instanceof Queue q ? q.subject() : candidates.isEmpty() ? null : candidates.getFirst();
            cases.refresh(c.id(), decision instanceof Queue q
                    ? opening(agentId, q, candidates)
                    : new CaseRepository.Opening(agentId, c.kind(), c.reason(), c.ciId(), c.otherAgentId(),
                            subject == null ? 0 : subject.score(), subject == null ? "low" : subject.confidence(),
                            candidates, c.detail()), now);
            return c.kind().equals(StoredCase.CONFLICT) ? "quarantined" : "queued";
        }
        return switch (decision) {
            case Adopt a -> {
                adoption.adopt(a.match().ciId(), agentId, inv, hash, a.match(), ctx.withReason(a.why()), true);
                events.publishEvent(new DiscoveryEvent("discovery.matched", "ci", Long.toString(a.match().ciId()),
                        "agent " + agentId + " " + a.why(), ctx.actor()));
                yield "applied";
            }
            case Create c -> {
                var reason = "auto-approved new host (enrollment token allows it)";
                long ciId = adoption.createCi(agentId, inv, properties.approvalClass(), properties.approvalState(),
                        ctx.withReason(reason));
                adoption.adopt(ciId, agentId, inv, hash, resolver.ofNewHost(evidence, ciId, agentId),
                        ctx.withReason(reason), false);
                events.publishEvent(new DiscoveryEvent("discovery.auto-approved", "ci", Long.toString(ciId),
                        "agent " + agentId + ": " + reason, ctx.actor()));
                yield "applied";
            }
            case Queue q -> {
                long id = cases.open(opening(agentId, q, candidates), now);
                boolean conflict = q.kind().equals(StoredCase.CONFLICT);
                events.publishEvent(new DiscoveryEvent(conflict ? "discovery.quarantined" : "discovery.queued",
                        "discovery-case", Long.toString(id), "agent " + agentId + ": " + (conflict ? q.reason() + ": " : "")
                                + q.detail(), ctx.actor()));
                yield conflict ? "quarantined" : "queued";
            }
        };
    }

    private String reconcileBound(long agentId, long ciId, Inventory inv, String hash, HostEvidence evidence,
            Optional<StoredCase> open, ChangeContext ctx, Instant now) {
        Optional<StoredHost> known = hosts.find(ciId);
        if (open.isEmpty() && known.isPresent() && hash.equals(known.get().contentHash())
                && Long.valueOf(agentId).equals(known.get().agentId())) {
            // The common case — a daily report of an unchanged host: only the times move.
            hosts.touch(ciId, now);
            provenance.seenAgain(ciId, now);
            return "unchanged";
        }
        String knownSerial = known.map(h -> h.evidence().serial()).orElse(null);
        boolean serialChanged = knownSerial != null && evidence.serial() != null && !knownSerial.equals(evidence.serial());
        Long reporter = known.map(StoredHost::agentId).orElse(null);
        if (open.isEmpty() && !serialChanged && Long.valueOf(agentId).equals(reporter)) {
            // The usual changed report: the agent already reports for this CI and nothing is disputed.
            // Its identity is its own index entry scored against the report — what resolve() would
            // give for this CI — without the look-alike search (six lookups) only a case needs.
            IdentityMatch own = resolver.ofKnownHost(evidence, known.get());
            return reconciler.apply(ciId, agentId, inv, hash, own, ctx, true, known).isEmpty() ? "unchanged" : "applied";
        }
        List<IdentityMatch> candidates = resolver.resolve(evidence, ciId);
        IdentityMatch own = candidates.stream().filter(m -> m.ciId() == ciId).findFirst().orElse(null);
        if (own == null) {
            return "ignored"; // the CI was retired: its history stays as it is
        }
        if (open.isPresent() && !serialChanged) {
            cases.refresh(open.get().id(), opening(agentId, new Queue(open.get().kind(), open.get().reason(), own,
                    open.get().otherAgentId(), open.get().detail()), candidates), now);
            return "quarantined";
        }
        if (serialChanged) {
            var q = new Queue(StoredCase.CONFLICT, "serial-changed", own, null, "agent " + agentId + " bound to CI "
                    + ciId + " now reports serial " + evidence.serial() + " instead of " + knownSerial
                    + ": new hardware under the same agent, or a wrong reading");
            if (open.isPresent()) {
                cases.refresh(open.get().id(), opening(agentId, q, candidates), now);
            } else {
                long id = cases.open(opening(agentId, q, candidates), now);
                events.publishEvent(new DiscoveryEvent("discovery.quarantined", "discovery-case", Long.toString(id),
                        "serial-changed: " + q.detail(), ctx.actor()));
            }
            return "quarantined";
        }
        if (reporter != null && reporter != agentId && live(reporter)) {
            // Two live agents bound to one CI (an old agent came back after a take-over): never let them flap.
            String reason = own.hasEvidence("machine-id") ? "clone" : "duplicate-identity";
            long id = cases.open(opening(agentId, new Queue(StoredCase.CONFLICT, reason, own, reporter, "agent "
                    + reporter + " is live and reports for CI " + ciId + " too: " + ReconciliationPolicy.explain(own)),
                    candidates), now);
            events.publishEvent(new DiscoveryEvent("discovery.quarantined", "discovery-case", Long.toString(id),
                    reason + ": agents " + agentId + " and " + reporter + " both report for CI " + ciId, ctx.actor()));
            return "quarantined";
        }
        // The agent already reports for this CI (the usual changed report): no binding to write again.
        var differences = Long.valueOf(agentId).equals(reporter)
                ? reconciler.apply(ciId, agentId, inv, hash, own, ctx, true, known)
                : adoption.adopt(ciId, agentId, inv, hash, own, ctx, known.isPresent());
        return differences.isEmpty() ? "unchanged" : "applied";
    }

    private static CaseRepository.Opening opening(long agentId, Queue q, List<IdentityMatch> candidates) {
        IdentityMatch s = q.subject();
        return new CaseRepository.Opening(agentId, q.kind(), q.reason(), s == null ? null : s.ciId(), q.otherAgentId(),
                s == null ? 0 : s.score(), s == null ? "low" : s.confidence(), candidates, q.detail());
    }

    /** An agent is live when the registry shows it online (seen within its online window) and not revoked. */
    boolean live(long agentId) {
        return "online".equals(agents.get(agentId).status());
    }

    /** 422 for a report that parses but cannot be true; returns the content hash of what was understood. */
    static String validate(InventoryRequest request) {
        List<FieldViolation> v = new ArrayList<>();
        Inventory inv = request.inventory();
        if (request.idempotencyKey().isBlank() || request.idempotencyKey().length() > 100) {
            v.add(new FieldViolation("idempotencyKey", "must be 1-100 characters"));
        }
        if (inv.hostname() != null && inv.hostname().length() > 255) {
            v.add(new FieldViolation("inventory.hostname", "must be at most 255 characters"));
        }
        if (inv.memory() != null) {
            if (inv.memory().totalBytes() < 0) {
                v.add(new FieldViolation("inventory.memory.totalBytes", "must not be negative"));
            }
            for (int i = 0; i < inv.memory().modules().size(); i++) {
                MemoryModule m = inv.memory().modules().get(i);
                if (m == null || m.sizeBytes() < 0) {
                    v.add(new FieldViolation("inventory.memory.modules[" + i + "].sizeBytes", "must not be negative"));
                }
            }
        }
        for (int i = 0; i < inv.disks().size(); i++) {
            Disk d = inv.disks().get(i);
            if (d == null || d.sizeBytes() < 0) {
                v.add(new FieldViolation("inventory.disks[" + i + "].sizeBytes", "must not be negative"));
            }
        }
        for (int i = 0; i < inv.processors().size(); i++) {
            Processor p = inv.processors().get(i);
            if (p == null || p.sockets() < 0 || p.cores() < 0 || p.threads() < 0) {
                v.add(new FieldViolation("inventory.processors[" + i + "]", "sockets, cores and threads must not be negative"));
            }
        }
        if (inv.networkInterfaces().stream().anyMatch(n -> n == null)) {
            v.add(new FieldViolation("inventory.networkInterfaces", "must not contain null"));
        }
        if (!v.isEmpty()) {
            throw new InvalidInputException(v);
        }
        // The server hashes what it understood. The agent's contentHash is not checked against it: a
        // newer agent may send fields this server ignores, and refusing its report would strand it
        // in the agent's outbox forever.
        return InventoryHash.of(inv);
    }
}
