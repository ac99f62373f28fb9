package io.opsbase.protocol.inventory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;

import io.opsbase.protocol.CanonicalJson;
import io.opsbase.protocol.ProtocolJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The content hash of an inventory: hex SHA-256 of its {@link CanonicalJson canonical JSON} with
 * arrays sorted (enumeration order is not content) and the volatile fields removed
 * ({@link #VOLATILE_FIELDS}: uptime and free space). Two inventories of an unchanged host hash the
 * same on any run, on either side of the wire.
 */
public final class InventoryHash {

    /** Field names dropped wherever they occur in the tree. */
    public static final Set<String> VOLATILE_FIELDS = Set.of("uptimeSeconds", "freeBytes");

    private InventoryHash() {
    }

    public static String of(Inventory inventory) {
        JsonNode tree = ProtocolJson.mapper().valueToTree(inventory);
        strip(tree);
        var canonical = CanonicalJson.write(tree, true);
        try {
            var digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static void strip(JsonNode node) {
        if (node instanceof ObjectNode object) {
            VOLATILE_FIELDS.forEach(object::remove);
        }
        for (JsonNode child : node) {
            strip(child);
        }
    }
}
