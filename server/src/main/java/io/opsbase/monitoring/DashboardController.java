package io.opsbase.monitoring;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import io.opsbase.platform.InvalidInputException;
import io.opsbase.platform.Page;
import io.opsbase.web.Notice;

/**
 * Dashboards: {@code /api/v1/dashboards} (JSON) and the pages {@code /dashboards} (list and
 * compose) and {@code /dashboards/{id}} (the graphs). Any role may compose its own dashboards.
 */
@Controller
class DashboardController {

    private final DashboardService dashboards;

    DashboardController(DashboardService dashboards) {
        this.dashboards = dashboards;
    }

    /** The body of {@code POST/PUT /api/v1/dashboards}. */
    record DashboardInput(String name, Boolean shared, List<Dashboard.Panel> panels) {
    }

    @GetMapping("/api/v1/dashboards")
    @ResponseBody
    Page<Dashboard> list(Authentication auth) {
        return Page.of(dashboards.visibleTo(auth.getName()));
    }

    @GetMapping("/api/v1/dashboards/{id}")
    @ResponseBody
    Dashboard get(@PathVariable long id, Authentication auth) {
        return dashboards.get(id, auth.getName());
    }

    @PostMapping("/api/v1/dashboards")
    @ResponseBody
    ResponseEntity<Dashboard> create(@RequestBody DashboardInput in, Authentication auth) {
        Dashboard d = dashboards.create(in.name(), Boolean.TRUE.equals(in.shared()), in.panels(), auth.getName());
        return ResponseEntity.created(URI.create("/api/v1/dashboards/" + d.id())).body(d);
    }

    @PutMapping("/api/v1/dashboards/{id}")
    @ResponseBody
    Dashboard update(@PathVariable long id, @RequestBody DashboardInput in, Authentication auth) {
        return dashboards.update(id, in.name(), Boolean.TRUE.equals(in.shared()), in.panels(), auth.getName(), admin(auth));
    }

    @DeleteMapping("/api/v1/dashboards/{id}")
    @ResponseBody
    ResponseEntity<Void> delete(@PathVariable long id, Authentication auth) {
        dashboards.delete(id, auth.getName(), admin(auth));
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/dashboards")
    String page(Authentication auth, Model model) {
        model.addAttribute("dashboards", dashboards.visibleTo(auth.getName()));
        model.addAttribute("form", Map.of());
        model.addAttribute("errors", Map.of());
        return "monitoring/dashboards";
    }

    /** The compose form: one panel per line, {@code Title | selector | unit}. */
    @PostMapping("/dashboards")
    String compose(@RequestParam Map<String, String> form, Authentication auth, Model model, RedirectAttributes redirect,
            jakarta.servlet.http.HttpServletResponse response) {
        List<Dashboard.Panel> panels = new ArrayList<>();
        for (String line : form.getOrDefault("panels", "").split("\\R")) {
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.split("\\|");
            panels.add(new Dashboard.Panel(parts[0].strip(), parts.length > 1 ? parts[1].strip() : "",
                    parts.length > 2 ? parts[2].strip() : ""));
        }
        try {
            Dashboard d = dashboards.create(form.get("name"), "on".equals(form.get("shared")), panels, auth.getName());
            redirect.addFlashAttribute(Notice.ATTRIBUTE, Notice.success("dashboards.notice.created", d.name()));
            return "redirect:/dashboards/" + d.id();
        } catch (InvalidInputException e) {
            response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
            Map<String, String> errors = new LinkedHashMap<>();
            e.errors().forEach(v -> errors.putIfAbsent(v.field().startsWith("panels") ? "panels" : v.field(), v.field() + ": " + v.message()));
            model.addAttribute("errors", errors);
            model.addAttribute("form", form);
            model.addAttribute("dashboards", dashboards.visibleTo(auth.getName()));
            return "monitoring/dashboards";
        }
    }

    @GetMapping("/dashboards/{id}")
    String view(@PathVariable long id, Authentication auth, Model model) {
        model.addAttribute("dashboard", dashboards.get(id, auth.getName()));
        model.addAttribute("mine", dashboards.get(id, auth.getName()).owner().equals(auth.getName()) || admin(auth));
        return "monitoring/dashboard";
    }

    @PostMapping("/dashboards/{id}/delete")
    String remove(@PathVariable long id, Authentication auth, RedirectAttributes redirect) {
        Dashboard d = dashboards.get(id, auth.getName());
        dashboards.delete(id, auth.getName(), admin(auth));
        redirect.addFlashAttribute(Notice.ATTRIBUTE, Notice.success("dashboards.notice.deleted", d.name()));
        return "redirect:/dashboards";
    }

    private static boolean admin(Authentication auth) {
        return auth.getAuthorities().stream().anyMatch(a -> a.getAuthority().equals("ROLE_ADMIN"));
    }
}
