package io.opsbase.discovery;


import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.opsbase.discovery.internal.StoredCase;
import io.opsbase.platform.Page;

/**
 * The approval and conflict queue and the discovered hosts. Reading needs any role; approving or
 * rejecting a new host needs operator or admin; resolving a conflict (merge, keep-separate, reject)
 * needs admin, since it decides which physical machine a CI is.
 */
@RestController
@RequestMapping("/api/v1/discovery")
class DiscoveryApiController {

    private final DiscoveryService discovery;
    private final DiscoveredHosts hosts;

    DiscoveryApiController(DiscoveryService discovery, DiscoveredHosts hosts) {
        this.discovery = discovery;
        this.hosts = hosts;
    }

    @GetMapping("/queue")
    Page<DiscoveryCase> queue(@RequestParam(required = false) String status, @RequestParam(required = false) String kind,
            @RequestParam(required = false) String cursor, @RequestParam(defaultValue = "50") int limit) {
        return discovery.queue(status, kind, cursor, limit);
    }

    @GetMapping("/queue/{id}")
    DiscoveryCase get(@PathVariable long id) {
        return discovery.get(id);
    }

    @PostMapping("/queue/{id}/approve")
    DiscoveryCase approve(@PathVariable long id, @RequestBody(required = false) CaseDecision decision, Authentication auth) {
        return discovery.approve(id, decision == null ? CaseDecision.none() : decision, auth.getName());
    }

    @PostMapping("/queue/{id}/reject")
    DiscoveryCase reject(@PathVariable long id, @RequestBody(required = false) CaseDecision decision, Authentication auth) {
        if (StoredCase.CONFLICT.equals(discovery.get(id).kind())) {
            requireAdmin(auth);
        }
        return discovery.reject(id, decision == null ? null : decision.reason(), auth.getName());
    }

    @PostMapping("/queue/{id}/merge")
    DiscoveryCase merge(@PathVariable long id, @RequestBody(required = false) CaseDecision decision, Authentication auth) {
        requireAdmin(auth);
        return discovery.merge(id, decision == null ? CaseDecision.none() : decision, auth.getName());
    }

    @PostMapping("/queue/{id}/keep-separate")
    DiscoveryCase keepSeparate(@PathVariable long id, @RequestBody(required = false) CaseDecision decision,
            Authentication auth) {
        requireAdmin(auth);
        return discovery.keepSeparate(id, decision == null ? CaseDecision.none() : decision, auth.getName());
    }

    @GetMapping("/hosts")
    Page<HostSummary> hosts(@RequestParam(required = false) String q, @RequestParam(required = false) Boolean stale,
            @RequestParam(required = false) String cursor, @RequestParam(defaultValue = "50") int limit) {
        return hosts.list(q, stale, cursor, limit);
    }

    @GetMapping("/hosts/{ciId}")
    HostDetail host(@PathVariable long ciId) {
        return hosts.get(ciId);
    }

    /** Denied here, answered 403 by the security filters like every other denial. */
    private static void requireAdmin(Authentication auth) {
        if (auth.getAuthorities().stream().noneMatch(a -> "ROLE_ADMIN".equals(a.getAuthority()))) {
            throw new AccessDeniedException("resolving a discovery conflict needs the admin role");
        }
    }

}
