package io.opsbase.discovery;


import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import io.opsbase.discovery.internal.InventoryIntake;
import io.opsbase.discovery.internal.ReportAdmission;
import io.opsbase.discovery.internal.TransientRetry;
import io.opsbase.platform.BadRequestException;
import io.opsbase.platform.RequestBodies;
import io.opsbase.platform.Problems;
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
    private final ReportAdmission admission;

    InventoryController(InventoryIntake intake, ReportAdmission admission) {
        this.intake = intake;
        this.admission = admission;
    }

    /** An inventory with thousands of packages is a few MiB; more than this inflated is refused. */
    static final int MAX_INFLATED_BYTES = 64 * 1024 * 1024;

    @PostMapping(path = AgentEndpoints.INVENTORY, consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<?> report(@RequestBody byte[] body, Authentication auth,
            @RequestHeader(name = HttpHeaders.CONTENT_ENCODING, required = false) String encoding) throws InterruptedException {
        long agentId = Long.parseLong(auth.getName().substring("agent:".length()));
        InventoryRequest request;
        try {
            // The agent gzips bodies from 1 KiB on and signs the bytes as sent: the signature filter checked
            // the compressed form; it is inflated only here, with a bound.
            request = ProtocolJson.read(RequestBodies.decoded(body, encoding, MAX_INFLATED_BYTES), InventoryRequest.class);
        } catch (RuntimeException e) {
            throw new BadRequestException("the body is not a valid InventoryRequest: " + firstLine(e));
        }
        if (!admission.enter()) {
            // Temporarily full: the agent keeps the report in its outbox and sends it again later.
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "10")
                    .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(Problems.of(HttpStatus.SERVICE_UNAVAILABLE,
                            "busy", "too many inventory reports are being reconciled; send this one again later"));
        }
        try {
            // A lock wait that timed out rolled the report back: run it again rather than answer 500.
            var ack = TransientRetry.run("inventory report of agent " + agentId, () -> intake.accept(agentId, request));
            return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(ProtocolJson.write(new InventoryResponse(ack)));
        } finally {
            admission.leave();
        }
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
