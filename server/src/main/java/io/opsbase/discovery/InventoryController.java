package io.opsbase.discovery;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import io.opsbase.discovery.internal.InventoryIntake;
import io.opsbase.platform.BadRequestException;
import io.opsbase.protocol.AgentEndpoints;
import io.opsbase.protocol.InventoryRequest;
import io.opsbase.protocol.InventoryResponse;
import io.opsbase.protocol.ProtocolJson;

/**
 * {@code POST /api/v1/agent/inventory}: signed by the agent (the agents feature's security chain
 * verifies it and names the principal {@code agent:<id>}). The body is read and the answer written
 * with {@link ProtocolJson}, byte for byte what the agent signs and expects.
 */
@RestController
class InventoryController {

    private final InventoryIntake intake;

    InventoryController(InventoryIntake intake) {
        this.intake = intake;
    }

    @PostMapping(path = AgentEndpoints.INVENTORY, consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<byte[]> report(@RequestBody byte[] body, Authentication auth) {
        long agentId = Long.parseLong(auth.getName().substring("agent:".length()));
        InventoryRequest request;
        try {
            request = ProtocolJson.read(body, InventoryRequest.class);
        } catch (RuntimeException e) {
            throw new BadRequestException("the body is not a valid InventoryRequest: " + firstLine(e));
        }
        var ack = intake.accept(agentId, request);
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(ProtocolJson.write(new InventoryResponse(ack)));
    }

    private static String firstLine(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
