package io.opsbase.agent.inventory;

import java.util.Locale;
import java.util.Set;

/**
 * Cleans strings read from firmware tables. Vendors fill unset fields with placeholders that would
 * make unrelated machines look identical ("To Be Filled By O.E.M.", "Default string", "0123456789");
 * those become null, as does OSHI's "unknown".
 */
public final class FirmwareText {

    private static final Set<String> PLACEHOLDERS = Set.of(
            "", "unknown", "none", "n/a", "na", "null", "not specified", "not available", "not applicable", "to be filled by o.e.m.",
            "default string", "system serial number", "system product name", "system manufacturer", "chassis serial number",
            "base board serial number", "0", "00000000", "0123456789", "123456789", "serial", "o.e.m.", "oem", "empty",
            "type1productconfigid", "sku", "invalid");

    private FirmwareText() {
    }

    public static String clean(String raw) {
        if (raw == null) {
            return null;
        }
        var trimmed = raw.strip();
        return PLACEHOLDERS.contains(trimmed.toLowerCase(Locale.ROOT)) ? null : trimmed;
    }
}
