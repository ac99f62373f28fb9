package io.opsbase.agent.inventory;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.UUID;

import io.opsbase.agent.json.Json;
import io.opsbase.agent.json.Messages;
import io.opsbase.protocol.HostFingerprint;
import io.opsbase.protocol.InventoryRequest;
import io.opsbase.protocol.ProtocolJson;
import io.opsbase.protocol.inventory.Inventory;
import io.opsbase.protocol.inventory.InventoryHash;

/**
 * One inventory collection, ready to queue: its content hash, the {@code InventoryRequest} body
 * (with its own idempotency key) and the host fingerprint for enrollment. Built by {@link #of} in the
 * inventory process, which has Jackson and OSHI loaded, and passed to the agent as two lines
 * ({@link #encode}/{@link #decode}): a small header in JSON, then the request body exactly as sent.
 */
public record CollectedInventory(String contentHash, String idempotencyKey, HostFingerprint fingerprint, byte[] requestBody) {

    public static CollectedInventory of(Inventory inventory, Instant collectedAt) {
        var hash = InventoryHash.of(inventory);
        var key = "inventory-" + UUID.randomUUID();
        return new CollectedInventory(hash, key, HostFingerprints.of(inventory),
                ProtocolJson.write(new InventoryRequest(key, collectedAt, hash, inventory)));
    }

    /** The header line, a newline, the body (compact JSON never holds a raw newline). */
    public byte[] encode() {
        var header = new LinkedHashMap<String, Object>();
        header.put("contentHash", contentHash);
        header.put("idempotencyKey", idempotencyKey);
        header.put("fingerprint", Messages.hostFingerprint(fingerprint));
        var out = new ByteArrayOutputStream(requestBody.length + 512);
        out.writeBytes(Json.write(header));
        out.write('\n');
        out.writeBytes(requestBody);
        return out.toByteArray();
    }

    public static CollectedInventory decode(byte[] bytes) {
        var newline = -1;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                newline = i;
                break;
            }
        }
        if (newline < 0) {
            throw new IllegalArgumentException("no header line in " + new String(bytes, 0, Math.min(bytes.length, 200), StandardCharsets.UTF_8));
        }
        var header = Messages.object(Json.parse(Arrays.copyOf(bytes, newline)));
        var body = Arrays.copyOfRange(bytes, newline + 1, bytes.length);
        return new CollectedInventory(Messages.text(header, "contentHash"), Messages.text(header, "idempotencyKey"),
                Messages.hostFingerprint(header.get("fingerprint")), trimmed(body));
    }

    private static byte[] trimmed(byte[] body) {
        var end = body.length;
        while (end > 0 && (body[end - 1] == '\n' || body[end - 1] == '\r')) {
            end--;
        }
        return end == body.length ? body : Arrays.copyOf(body, end);
    }
}
