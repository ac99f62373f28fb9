package io.opsbase.discovery;

import java.util.List;

import io.opsbase.cmdb.CiComponent;
import io.opsbase.protocol.inventory.Inventory;

/** A discovered host: its summary, the identity evidence of its last report, its latest inventory, components and provenance. */
public record HostDetail(HostSummary host, IdentityMatch identity, Inventory inventory, List<CiComponent> components,
        List<FieldProvenance> provenance) {
}
