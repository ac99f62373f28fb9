package io.opsbase.protocol.inventory;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * SMBIOS system UUIDs, normalised so the same machine reads the same everywhere.
 *
 * <p>SMBIOS 2.6 and later store the first three UUID fields little-endian; older firmware and some
 * tools print the raw bytes, so one machine can appear as two UUIDs that differ in the byte order of
 * the first 8 bytes. {@link #normalise} gives the lower-case, hyphenated form and rejects values
 * that identify nothing (all zeros, all ones, the well-known "03000200-0400-0500-0006-000700080009"
 * placeholder). {@link #byteSwapped} gives the other byte order so a matcher can accept either.
 */
public final class SmbiosUuid {

    private static final Pattern HEX32 = Pattern.compile("[0-9a-f]{32}");
    private static final Set<String> PLACEHOLDERS = Set.of(
            "00000000000000000000000000000000",
            "ffffffffffffffffffffffffffffffff",
            "03000200040005000006000700080009");

    private SmbiosUuid() {
    }

    public static Optional<String> normalise(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        var hex = raw.trim().toLowerCase(Locale.ROOT).replace("-", "").replace("{", "").replace("}", "");
        if (!HEX32.matcher(hex).matches() || PLACEHOLDERS.contains(hex)) {
            return Optional.empty();
        }
        return Optional.of(hyphenate(hex));
    }

    /** The same UUID with the first three fields in the other byte order. */
    public static String byteSwapped(String normalised) {
        var hex = normalised.replace("-", "");
        var swapped = reverseBytes(hex.substring(0, 8)) + reverseBytes(hex.substring(8, 12))
                + reverseBytes(hex.substring(12, 16)) + hex.substring(16);
        return hyphenate(swapped);
    }

    private static String reverseBytes(String hex) {
        var out = new StringBuilder(hex.length());
        for (int i = hex.length() - 2; i >= 0; i -= 2) {
            out.append(hex, i, i + 2);
        }
        return out.toString();
    }

    private static String hyphenate(String hex) {
        return hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
                + hex.substring(16, 20) + "-" + hex.substring(20);
    }
}
