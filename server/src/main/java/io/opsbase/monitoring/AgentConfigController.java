package io.opsbase.monitoring;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import io.opsbase.agents.AgentInfo;
import io.opsbase.agents.AgentService;
import io.opsbase.protocol.AgentEndpoints;
import io.opsbase.protocol.ConfigResponse;
import io.opsbase.protocol.MonitoringItem;
import io.opsbase.protocol.ProtocolJson;

/**
 * {@code GET /api/v1/agent/config}: what the agent collects. An agent bound to a CI gets the items
 * of the templates bound to that CI ({@link TemplateService#effectiveItems}); one still waiting for approval
 * gets none, since its samples would have no CI to belong to. The ETag is a hash of the content,
 * so an agent that already holds it is answered 304 with no body.
 */
@RestController
class AgentConfigController {

    static final Duration INVENTORY_INTERVAL = Duration.ofHours(24);
    static final int LONG_POLL_SECONDS = 30;

    private final AgentService agents;
    private final TemplateService templates;

    AgentConfigController(AgentService agents, TemplateService templates) {
        this.agents = agents;
        this.templates = templates;
    }

    @GetMapping(AgentEndpoints.CONFIG)
    ResponseEntity<byte[]> config(Authentication auth, @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String known) {
        long agentId = Long.parseLong(auth.getName().substring("agent:".length()));
        AgentInfo agent = agents.get(agentId);
        List<MonitoringItem> items = agent.ciId() == null ? List.of() : templates.effectiveItems(agent.ciId());
        ConfigResponse unversioned = new ConfigResponse(null, INVENTORY_INTERVAL, LONG_POLL_SECONDS, Map.of(), items);
        String etag = "\"" + sha256(ProtocolJson.write(unversioned)) + "\"";
        if (etag.equals(known)) {
            return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(etag).build();
        }
        ConfigResponse config = new ConfigResponse(etag, INVENTORY_INTERVAL, LONG_POLL_SECONDS, Map.of(), items);
        return ResponseEntity.ok().eTag(etag).contentType(MediaType.APPLICATION_JSON).body(ProtocolJson.write(config));
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
