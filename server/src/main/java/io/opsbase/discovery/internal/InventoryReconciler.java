package io.opsbase.discovery.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

import io.opsbase.cmdb.ChangeContext;
import io.opsbase.cmdb.CiClass;
import io.opsbase.cmdb.CiComponent;
import io.opsbase.cmdb.CiComponents;
import io.opsbase.cmdb.CiService;
import io.opsbase.cmdb.ClassCatalog;
import io.opsbase.cmdb.ComponentDiff;
import io.opsbase.cmdb.ComponentSpec;
import io.opsbase.cmdb.ConfigurationItem;
import io.opsbase.discovery.HostInventoryChanged;
import io.opsbase.discovery.IdentityMatch;
import io.opsbase.discovery.InventoryDifference;
import io.opsbase.protocol.inventory.Inventory;
import io.opsbase.protocol.inventory.Processor;

/**
 * Writes an accepted inventory into its CI through the CMDB facades (so every difference is a
 * history row with source {@code discovery} and an audited {@code CiChanged}), records the
 * provenance of each field and component, and refreshes the host's identity evidence. Runs in the
 * caller's transaction.
 *
 * <p>Discovery is authoritative for the attributes it reports: a hand edit of, say, {@code os} is
 * overwritten by the next changed report (both are in the history). Attributes the inventory has
 * no value for are left alone — missing evidence is normal — while components are replaced per
 * kind, so a disk that disappeared is marked removed.
 */
@Component
public class InventoryReconciler {

    public static final String SOURCE = "discovery";

    private final CiService cis;
    private final ClassCatalog classes;
    private final CiComponents components;
    private final InventoryAttributes attributes;
    private final HostRepository hosts;
    private final ProvenanceRepository provenance;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    InventoryReconciler(CiService cis, ClassCatalog classes, CiComponents components, InventoryAttributes attributes,
            HostRepository hosts, ProvenanceRepository provenance, ApplicationEventPublisher events, Clock clock) {
        this.cis = cis;
        this.classes = classes;
        this.components = components;
        this.attributes = attributes;
        this.hosts = hosts;
        this.provenance = provenance;
        this.events = events;
        this.clock = clock;
    }

    /**
     * Brings CI {@code ciId} in line with {@code inv} and returns what changed. With {@code announce}
     * a non-empty result is also published as {@link HostInventoryChanged} (not for a CI just
     * created from this very inventory: that is no change).
     */
    public List<InventoryDifference> apply(long ciId, long agentId, Inventory inv, String contentHash,
            IdentityMatch identity, ChangeContext ctx, boolean announce) {
        return apply(ciId, agentId, inv, contentHash, identity, ctx, announce, hosts.find(ciId));
    }

    /** As above, with the CI's identity index entry as the caller read it in this transaction. */
    public List<InventoryDifference> apply(long ciId, long agentId, Inventory inv, String contentHash,
            IdentityMatch identity, ChangeContext ctx, boolean announce, Optional<StoredHost> previous) {
        Instant now = clock.instant();
        HostEvidence evidence = HostEvidence.of(inv);
        if (previous.isPresent() && contentHash.equals(previous.get().contentHash())
                && Long.valueOf(agentId).equals(previous.get().agentId())) {
            hosts.save(host(ciId, agentId, inv, evidence, contentHash, identity, previous, now), previous);
            provenance.seenAgain(ciId, now);
            return List.of();
        }
        ConfigurationItem ci = cis.get(ciId);
        CiClass ciClass = classes.get(ci.className());
        List<InventoryDifference> differences = new ArrayList<>();
        Map<String, Object> wanted = attributes.forClass(InventoryAttributes.reported(inv), ciClass, ciId, ci.attributes());
        Map<String, Object> changedAttributes = new LinkedHashMap<>();
        wanted.forEach((name, value) -> {
            Object before = ci.attributes().get(name);
            if (!InventoryAttributes.same(before, value)) {
                changedAttributes.put(name, value);
                differences.add(new InventoryDifference("attributes." + name, before, value));
            }
        });
        Map<String, Object> patch = new LinkedHashMap<>();
        String newName = HostEvidence.blankToNull(inv.hostname());
        // A CI discovery named after its host follows the host's renames; a name given by people stays.
        if (previous.isPresent() && newName != null && ci.name().equals(previous.get().hostname()) && !newName.equals(ci.name())) {
            patch.put("name", newName);
            differences.add(new InventoryDifference("name", ci.name(), newName));
        }
        if (!changedAttributes.isEmpty()) {
            patch.put("attributes", changedAttributes);
        }
        Set<String> seen = new LinkedHashSet<>();
        wanted.keySet().forEach(name -> seen.add("attributes." + name));
        Set<String> removed = new LinkedHashSet<>();
        List<KindChange> kinds = new ArrayList<>();
        if (ciClass.hardware()) {
            // All live components in one read, grouped by kind (one query instead of one per kind).
            Map<String, List<CiComponent>> current = new LinkedHashMap<>();
            components.list(ciId, null).forEach(c -> current.computeIfAbsent(c.kind(), k -> new ArrayList<>()).add(c));
            InventoryComponents.of(inv).forEach((kind, specs) ->
                    kinds.add(compare(kind, specs, current.getOrDefault(kind, List.of()), seen, removed)));
        }
        // Discovery's own rows first, the CMDB's last: a CMDB write takes locks every writer of its
        // class shares (unique-value checks, the audit chain) and holds them until commit, so the
        // shorter the rest of the transaction after it, the more reports can be reconciled at once.
        provenance.seen(ciId, seen, SOURCE, now);
        provenance.removed(ciId, removed, now);
        hosts.save(host(ciId, agentId, inv, evidence, contentHash, identity, previous, now), previous);
        if (!patch.isEmpty()) {
            cis.update(ciId, patch, null, ctx);
        }
        for (KindChange k : kinds) {
            if (!k.unchanged()) {
                replaceComponents(ciId, k, ctx, differences);
            }
        }
        if (announce && !differences.isEmpty()) {
            events.publishEvent(new HostInventoryChanged(ciId, agentId, differences));
        }
        return differences;
    }

    /** The components of one kind before and as reported now. */
    private record KindChange(String kind, List<ComponentSpec> specs, Map<String, Map<String, Object>> before,
            Map<String, Map<String, Object>> after) {

        /** Same parts with the same attributes: nothing for the CMDB to do. */
        boolean unchanged() {
            return before.equals(after);
        }
    }

    private KindChange compare(String kind, List<ComponentSpec> specs, List<CiComponent> live, Set<String> seen,
            Set<String> removed) {
        Map<String, Map<String, Object>> before = new LinkedHashMap<>();
        for (CiComponent c : live) {
            before.put(c.identity(), c.attributes());
        }
        Map<String, Map<String, Object>> after = new LinkedHashMap<>();
        specs.forEach(s -> after.put(s.identity(), s.attributes()));
        after.keySet().forEach(id -> seen.add(field(kind, id)));
        before.keySet().stream().filter(id -> !after.containsKey(id)).forEach(id -> removed.add(field(kind, id)));
        return new KindChange(kind, specs, before, after);
    }

    private void replaceComponents(long ciId, KindChange k, ChangeContext ctx, List<InventoryDifference> differences) {
        ComponentDiff diff = components.replace(ciId, k.kind(), k.specs(), ctx);
        diff.added().forEach(id -> differences.add(new InventoryDifference(field(k.kind(), id), null, k.after().get(id))));
        diff.changed().forEach(id -> differences.add(new InventoryDifference(field(k.kind(), id), k.before().get(id),
                k.after().get(id))));
        diff.removed().forEach(id -> differences.add(new InventoryDifference(field(k.kind(), id), k.before().get(id), null)));
    }

    private static String field(String kind, String identity) {
        return "component." + kind + "[" + identity + "]";
    }

    private static StoredHost host(long ciId, long agentId, Inventory inv, HostEvidence evidence, String contentHash,
            IdentityMatch identity, Optional<StoredHost> previous, Instant now) {
        String os = inv.os() == null ? null
                : String.join(" ", java.util.stream.Stream.of(inv.os().name(), inv.os().version())
                        .filter(s -> s != null && !s.isBlank()).toList());
        String cpu = null;
        Integer cores = null;
        if (!inv.processors().isEmpty()) {
            Processor first = inv.processors().getFirst();
            int sockets = inv.processors().stream().mapToInt(Processor::sockets).sum();
            cpu = (first.model() == null ? "unknown CPU" : first.model()) + (sockets > 1 ? " × " + sockets : "");
            cores = inv.processors().stream().mapToInt(Processor::cores).sum();
        }
        Long memory = inv.memory() == null || inv.memory().totalBytes() <= 0 ? null : inv.memory().totalBytes();
        return new StoredHost(ciId, agentId, HostEvidence.blankToNull(inv.hostname()), evidence,
                os == null || os.isEmpty() ? null : os, cpu, cores, memory, contentHash, identity.score(),
                identity.confidence(), identity.reasons(),
                previous.map(StoredHost::firstSeenAt).orElse(now), now);
    }
}
