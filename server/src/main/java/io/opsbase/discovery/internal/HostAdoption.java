package io.opsbase.discovery.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

import io.opsbase.agents.AgentService;
import io.opsbase.cmdb.AttributeDefinition;
import io.opsbase.cmdb.ChangeContext;
import io.opsbase.cmdb.CiClass;
import io.opsbase.cmdb.CiService;
import io.opsbase.cmdb.ClassCatalog;
import io.opsbase.cmdb.CreateCi;
import io.opsbase.discovery.IdentityMatch;
import io.opsbase.discovery.InventoryDifference;
import io.opsbase.platform.InvalidInputException;
import io.opsbase.platform.InvalidInputException.FieldViolation;
import io.opsbase.platform.NotFoundException;
import io.opsbase.protocol.inventory.Inventory;

/**
 * Makes an agent the reporter for a CI: creates the CI for a new host, binds the agent to it in the
 * agents registry and in the identity index, and reconciles the inventory. Shared by the report
 * path (auto-approval, reinstall take-over) and by the admin's queue decisions.
 */
@Component
public class HostAdoption {

    private final CiService cis;
    private final ClassCatalog classes;
    private final AgentService agents;
    private final HostRepository hosts;
    private final InventoryAttributes attributes;
    private final InventoryReconciler reconciler;

    HostAdoption(CiService cis, ClassCatalog classes, AgentService agents, HostRepository hosts,
            InventoryAttributes attributes, InventoryReconciler reconciler) {
        this.cis = cis;
        this.classes = classes;
        this.agents = agents;
        this.hosts = hosts;
        this.attributes = attributes;
        this.reconciler = reconciler;
    }

    /**
     * A new CI for the host, named after it, with every reported attribute the class accepts (a
     * unique value another CI already holds — a disputed serial — is left out). A bad class or state
     * is a 422 from the CMDB.
     */
    public long createCi(long agentId, Inventory inv, String className, String state, ChangeContext ctx) {
        CiClass ciClass;
        try {
            ciClass = classes.get(className);
        } catch (NotFoundException e) {
            throw new InvalidInputException("class", "no class is named " + className);
        }
        Map<String, Object> values = new LinkedHashMap<>(attributes.forNewCi(InventoryAttributes.reported(inv), ciClass));
        String name = HostEvidence.blankToNull(inv.hostname()) != null ? inv.hostname().strip()
                : HostEvidence.blankToNull(inv.fqdn()) != null ? inv.fqdn().strip() : "agent-" + agentId;
        // A unique value another CI already holds (a disputed serial) is left out. The CMDB's own
        // check finds the holder by index; a search per unique attribute cost time in proportion to
        // the number of CIs for every new host (see docs/benchmarks.md, "Agents and discovery").
        for (FieldViolation v : cis.validate(new CreateCi(className, name, values, null, List.of(), state))) {
            String attribute = v.field().startsWith("attributes.") ? v.field().substring("attributes.".length()) : null;
            if (attribute != null && ciClass.attribute(attribute).map(AttributeDefinition::unique).orElse(false)) {
                values.remove(attribute);
            }
        }
        return cis.create(new CreateCi(className, name, values, null, List.of(), state), ctx).id();
    }

    /** Binds the agent to the CI and reconciles its inventory into it; returns the differences applied. */
    public List<InventoryDifference> adopt(long ciId, long agentId, Inventory inv, String contentHash,
            IdentityMatch identity, ChangeContext ctx, boolean announce) {
        agents.bind(agentId, ciId);
        hosts.assignAgent(ciId, agentId);
        return reconciler.apply(ciId, agentId, inv, contentHash, identity, ctx, announce);
    }
}
