package io.opsbase.cmdb;

import java.util.Map;

/**
 * A hardware component as a caller describes it. {@code identity} is what makes it the same part
 * over time — its serial number, else its slot (e.g. {@code DIMM_A1}), else its MAC — and is
 * unique per CI and kind. Attributes are flat: string, number or boolean values.
 *
 * @param kind cpu, memory, disk, nic, raid, psu, gpu or other
 */
public record ComponentSpec(String kind, String identity, Map<String, Object> attributes) {

    public ComponentSpec {
        attributes = attributes == null ? Map.of() : attributes;
    }
}
