package io.opsbase.overview;

import java.security.Principal;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

import io.opsbase.audit.AuditLog;
import io.opsbase.audit.AuditQuery;
import io.opsbase.auth.Role;
import io.opsbase.auth.TokenService;
import io.opsbase.auth.UserService;
import io.opsbase.cmdb.CiQuery;
import io.opsbase.cmdb.CiSearch;

/**
 * The overview a user lands on after login: who they are, their tokens, and recent activity. It
 * reads several features, so it is a feature of its own that nothing depends on: {@code web} stays
 * shared plumbing that features use, never the other way round.
 */
@Controller
class OverviewPageController {

    private static final int RECENT_ACTIVITY = 8;

    private final UserService users;
    private final TokenService tokens;
    private final AuditLog auditLog;
    private final CiSearch ciSearch;
    private final java.time.Clock clock;

    OverviewPageController(UserService users, TokenService tokens, AuditLog auditLog, CiSearch ciSearch,
            java.time.Clock clock) {
        this.users = users;
        this.tokens = tokens;
        this.auditLog = auditLog;
        this.ciSearch = ciSearch;
        this.clock = clock;
    }

    @GetMapping("/")
    String home(Principal principal, Authentication authentication, Model model) {
        var me = users.getByUsername(principal.getName());
        var now = clock.instant();
        model.addAttribute("me", me);
        model.addAttribute("ciCount", ciSearch.search(new CiQuery(null, null, java.util.List.of(), null, null,
                java.util.List.of(), "id", 1, null, false)).total());
        model.addAttribute("activeTokens", tokens.listFor(me.id()).stream().filter(t -> t.activeAt(now)).count());
        boolean seesAudit = authentication.getAuthorities().stream().anyMatch(a ->
                a.getAuthority().equals(Role.ADMIN.authority()) || a.getAuthority().equals(Role.AUDITOR.authority()));
        if (seesAudit) {
            model.addAttribute("recent", auditLog.list(AuditQuery.latest(RECENT_ACTIVITY)).items());
        }
        if (me.role() == Role.ADMIN) {
            model.addAttribute("userCount", users.list().size());
        }
        return "home";
    }
}
