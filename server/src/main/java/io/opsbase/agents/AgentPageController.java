package io.opsbase.agents;

import java.time.Duration;
import java.util.Map;

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

import io.opsbase.platform.ConflictException;
import io.opsbase.protocol.Task;
import io.opsbase.web.Notice;

/**
 * {@code /agents}: the agent registry (version, status, last seen, address, bound CI), with revoke
 * (admin) and ping (operator or admin), authorised as the API is. A ping's answer is polled by the
 * page ({@code /agents/{id}/tasks/{taskId}}, an htmx fragment) until the agent has replied.
 */
@Controller
@RequestMapping("/agents")
class AgentPageController {

    private static final int PAGE_SIZE = 100;

    private final AgentService agents;

    AgentPageController(AgentService agents) {
        this.agents = agents;
    }

    @GetMapping
    String list(@RequestParam(required = false) String cursor, @RequestParam(required = false) Long pinged,
            @RequestParam(required = false) Long task, Model model) {
        var page = agents.list(cursor, PAGE_SIZE);
        model.addAttribute("agents", page.items());
        model.addAttribute("total", page.total());
        model.addAttribute("nextCursor", page.next());
        model.addAttribute("firstPage", cursor != null);
        if (pinged != null && task != null) {
            ping(pinged, task, model);
        }
        return "agents/agents";
    }

    /** The ping panel alone, for htmx polling. */
    @GetMapping("/{id}/tasks/{taskId}")
    String task(@PathVariable long id, @PathVariable long taskId, Model model) {
        ping(id, taskId, model);
        return "agents/agents :: ping";
    }

    private void ping(long agentId, long taskId, Model model) {
        AgentTask task = agents.task(agentId, taskId);
        model.addAttribute("ping", task);
        model.addAttribute("pingAgent", agents.get(agentId));
        model.addAttribute("pingMillis", task.completedAt() == null ? null
                : Duration.between(task.createdAt(), task.completedAt()).toMillis());
    }

    @PostMapping("/{id}/ping")
    String ping(@PathVariable long id, Authentication auth, RedirectAttributes redirect) {
        if (!hasRole(auth, "ROLE_ADMIN") && !hasRole(auth, "ROLE_OPERATOR")) {
            throw new AccessDeniedException("pinging an agent needs the operator or admin role");
        }
        try {
            AgentTask sent = agents.send(id, Task.PING, Map.of());
            return "redirect:/agents?pinged=" + id + "&task=" + sent.id();
        } catch (ConflictException e) {
            redirect.addFlashAttribute(Notice.ATTRIBUTE, Notice.failure("agents.notice.pingRevoked", "#" + id));
            return "redirect:/agents";
        }
    }

    @PostMapping("/{id}/revoke")
    String revoke(@PathVariable long id, Authentication auth, RedirectAttributes redirect) {
        if (!hasRole(auth, "ROLE_ADMIN")) {
            throw new AccessDeniedException("revoking an agent needs the admin role");
        }
        AgentInfo agent = agents.revoke(id);
        redirect.addFlashAttribute(Notice.ATTRIBUTE, Notice.success("agents.notice.revoked",
                agent.hostname() != null ? agent.hostname() : "#" + id));
        return "redirect:/agents";
    }

    private static boolean hasRole(Authentication auth, String role) {
        return auth.getAuthorities().stream().anyMatch(a -> role.equals(a.getAuthority()));
    }
}
