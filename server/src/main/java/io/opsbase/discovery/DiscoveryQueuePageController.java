package io.opsbase.discovery;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import io.opsbase.agents.AgentInfo;
import io.opsbase.agents.AgentService;
import io.opsbase.cmdb.CiClass;
import io.opsbase.cmdb.CiComponent;
import io.opsbase.cmdb.CiComponents;
import io.opsbase.cmdb.CiService;
import io.opsbase.cmdb.ClassCatalog;
import io.opsbase.cmdb.ConfigurationItem;
import io.opsbase.discovery.internal.InventoryComponents;
import io.opsbase.discovery.internal.ReportRepository;
import io.opsbase.discovery.internal.StoredCase;
import io.opsbase.platform.ApiException;
import io.opsbase.platform.BadRequestException;
import io.opsbase.platform.InvalidInputException;
import io.opsbase.platform.NotFoundException;
import io.opsbase.web.Notice;

/**
 * {@code /hosts/queue}: the approval and conflict queue, and one case with the side-by-side diff of
 * the incoming inventory against its candidate CI, the identity evidence, and the decision forms.
 * Everyone signed in reads. Decisions are authorised as the API authorises them: approving or
 * rejecting a new host needs operator or admin; resolving a conflict (merge, keep separate,
 * reject) needs admin, since it decides which physical machine a CI is.
 */
@Controller
@RequestMapping("/hosts/queue")
class DiscoveryQueuePageController {

    private static final int PAGE_SIZE = 50;
    private static final List<String> VIEWS = List.of("open", "any");

    private final DiscoveryService discovery;
    private final CiService cis;
    private final CiComponents components;
    private final ClassCatalog classes;
    private final AgentService agents;
    private final ReportRepository reports;
    private final DiscoveryProperties properties;

    DiscoveryQueuePageController(DiscoveryService discovery, CiService cis, CiComponents components,
            ClassCatalog classes, AgentService agents, ReportRepository reports, DiscoveryProperties properties) {
        this.discovery = discovery;
        this.cis = cis;
        this.components = components;
        this.classes = classes;
        this.agents = agents;
        this.reports = reports;
        this.properties = properties;
    }

    /** A class a host can be approved into, with its lifecycle states for the state picker. */
    record ClassChoice(String name, String label, List<String> states, String initial) {
    }

    /** A candidate CI with its name (null when it no longer exists). */
    record Candidate(IdentityMatch match, ConfigurationItem ci) {
    }

    @GetMapping
    String queue(@RequestParam(defaultValue = "open") String view, @RequestParam(required = false) String kind,
            @RequestParam(required = false) String cursor, Model model) {
        String status = VIEWS.contains(view) ? view : "open";
        String k = kind == null || kind.isBlank() ? null : kind;
        var page = discovery.queue(status, k, cursor, PAGE_SIZE);
        model.addAttribute("cases", page.items());
        model.addAttribute("view", status);
        model.addAttribute("kind", k);
        model.addAttribute("nextCursor", page.next());
        model.addAttribute("firstPage", cursor != null);
        return "hosts/queue";
    }

    @GetMapping("/{id:\\d+}")
    String detail(@PathVariable long id, Model model) {
        DiscoveryCase c = discovery.get(id);
        List<Candidate> candidates = new ArrayList<>();
        for (IdentityMatch m : c.candidates()) {
            candidates.add(new Candidate(m, ciOrNull(m.ciId())));
        }
        Long targetId = c.ciId() != null ? c.ciId() : c.candidates().isEmpty() ? null : c.candidates().getFirst().ciId();
        ConfigurationItem target = targetId == null ? null : ciOrNull(targetId);
        CiClass targetClass = target == null ? classOrNull(properties.approvalClass()) : classOrNull(target.className());
        var incoming = reports.latest(c.agentId()).map(r -> InventoryComponents.of(r.inventory())).orElse(Map.of());
        var current = target == null ? List.<CiComponent>of() : components.list(target.id(), null);
        model.addAttribute("c", c);
        model.addAttribute("conflict", StoredCase.CONFLICT.equals(c.kind()));
        model.addAttribute("candidates", candidates);
        model.addAttribute("target", target);
        model.addAttribute("targetMatch", c.candidates().stream().filter(m -> targetId != null && m.ciId() == targetId)
                .findFirst().orElse(null));
        model.addAttribute("diff", CaseDiff.of(c.reported(), target, targetClass, incoming, current));
        model.addAttribute("agent", agentOrNull(c.agentId()));
        model.addAttribute("otherAgent", c.otherAgentId() == null ? null : agentOrNull(c.otherAgentId()));
        model.addAttribute("classChoices", classChoices());
        model.addAttribute("defaultClass", properties.approvalClass());
        model.addAttribute("defaultState", properties.approvalState());
        return "hosts/case";
    }

    @PostMapping("/{id:\\d+}/approve")
    String approve(@PathVariable long id, @RequestParam(name = "class", required = false) String className,
            @RequestParam(required = false) String state, @RequestParam(required = false) String target,
            @RequestParam(required = false) String reason, Authentication auth, RedirectAttributes redirect) {
        DiscoveryCase c = discovery.get(id);
        requireDecider(c, auth);
        Long ciId = target == null || target.isBlank() || target.equals("new") ? null : parseId(target);
        return decide(id, redirect, () -> discovery.approve(id,
                new CaseDecision(blank(className), blank(state), ciId, blank(reason)), auth.getName()), "hosts.notice.approved");
    }

    @PostMapping("/{id:\\d+}/reject")
    String reject(@PathVariable long id, @RequestParam(required = false) String reason, Authentication auth,
            RedirectAttributes redirect) {
        DiscoveryCase c = discovery.get(id);
        requireDecider(c, auth);
        return decide(id, redirect, () -> discovery.reject(id, blank(reason), auth.getName()), "hosts.notice.rejected");
    }

    @PostMapping("/{id:\\d+}/merge")
    String merge(@PathVariable long id, @RequestParam(required = false) String ciId,
            @RequestParam(required = false) String reason, Authentication auth, RedirectAttributes redirect) {
        requireAdmin(auth);
        Long target = ciId == null || ciId.isBlank() ? null : parseId(ciId);
        return decide(id, redirect, () -> discovery.merge(id, new CaseDecision(null, null, target, blank(reason)),
                auth.getName()), "hosts.notice.merged");
    }

    @PostMapping("/{id:\\d+}/keep-separate")
    String keepSeparate(@PathVariable long id, @RequestParam(name = "class", required = false) String className,
            @RequestParam(required = false) String state, @RequestParam(required = false) String reason,
            Authentication auth, RedirectAttributes redirect) {
        requireAdmin(auth);
        return decide(id, redirect, () -> discovery.keepSeparate(id,
                new CaseDecision(blank(className), blank(state), null, blank(reason)), auth.getName()),
                "hosts.notice.keptSeparate");
    }

    /**
     * Runs a decision. Done: to the host it produced (the agent's CI), or back to the queue when
     * there is none (a rejection). Refused by the service: back to the case with the reason.
     */
    private String decide(long id, RedirectAttributes redirect, Supplier<DiscoveryCase> decision,
            String doneKey) {
        DiscoveryCase done;
        try {
            done = decision.get();
        } catch (InvalidInputException e) {
            var first = e.errors().getFirst();
            redirect.addFlashAttribute(Notice.ATTRIBUTE, Notice.failure("hosts.notice.invalid", first.field() + " " + first.message()));
            return "redirect:/hosts/queue/" + id;
        } catch (NotFoundException e) {
            throw e;
        } catch (ApiException e) {
            redirect.addFlashAttribute(Notice.ATTRIBUTE, Notice.failure(failureKey(e.kind()), e.getMessage()));
            return "redirect:/hosts/queue/" + id;
        }
        Long ciId = agentOrNull(done.agentId()) == null ? null : agentOrNull(done.agentId()).ciId();
        String host = done.hostname() != null ? done.hostname() : "#" + done.id();
        redirect.addFlashAttribute(Notice.ATTRIBUTE, Notice.success(doneKey, host));
        return "rejected".equals(done.status()) || ciId == null ? "redirect:/hosts/queue" : "redirect:/hosts/" + ciId;
    }

    private static String failureKey(String kind) {
        return switch (kind) {
            case "case-closed", "wrong-case-kind", "host-claimed", "no-report" -> "hosts.notice.failed." + kind;
            default -> "hosts.notice.failed";
        };
    }

    private List<ClassChoice> classChoices() {
        return classes.list().stream().filter(CiClass::hardware)
                .map(c -> new ClassChoice(c.name(), c.label(), c.lifecycle().states(), c.lifecycle().initial())).toList();
    }

    private ConfigurationItem ciOrNull(long id) {
        try {
            return cis.get(id);
        } catch (NotFoundException e) {
            return null;
        }
    }

    private CiClass classOrNull(String name) {
        try {
            return classes.get(name);
        } catch (NotFoundException e) {
            return null;
        }
    }

    private AgentInfo agentOrNull(long id) {
        try {
            return agents.get(id);
        } catch (NotFoundException e) {
            return null;
        }
    }

    private static Long parseId(String s) {
        try {
            return Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            throw new BadRequestException("not a CI id: " + s);
        }
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static void requireDecider(DiscoveryCase c, Authentication auth) {
        if (StoredCase.CONFLICT.equals(c.kind())) {
            requireAdmin(auth);
        } else if (!hasRole(auth, "ROLE_ADMIN") && !hasRole(auth, "ROLE_OPERATOR")) {
            throw new AccessDeniedException("deciding on a new host needs the operator or admin role");
        }
    }

    private static void requireAdmin(Authentication auth) {
        if (!hasRole(auth, "ROLE_ADMIN")) {
            throw new AccessDeniedException("resolving a discovery conflict needs the admin role");
        }
    }

    private static boolean hasRole(Authentication auth, String role) {
        return auth.getAuthorities().stream().anyMatch(a -> role.equals(a.getAuthority()));
    }
}
