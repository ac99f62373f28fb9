package io.opsbase.discovery;

import java.util.List;

/**
 * Published (inside the reconciling transaction) when an agent's report changed a CI that
 * discovery already knew. Change management will match these against approved changes to find
 * unplanned ones. Not audited itself: each CMDB write it summarises is audited by the CMDB.
 */
public record HostInventoryChanged(long ciId, long agentId, List<InventoryDifference> differences) {

    public HostInventoryChanged {
        differences = List.copyOf(differences);
    }
}
