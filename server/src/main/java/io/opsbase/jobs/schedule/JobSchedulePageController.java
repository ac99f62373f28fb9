package io.opsbase.jobs.schedule;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import io.opsbase.platform.ApiException;
import io.opsbase.platform.InvalidInputException;
import io.opsbase.web.Notice;

/**
 * The schedules page ({@code /jobs/schedules}): the schedules with their next and last fires, and a form whose
 * cron and zone are previewed as you type ({@code /jobs/schedules/preview}). Everyone signed in reads;
 * operators and admins change.
 */
@Controller
class JobSchedulePageController {

    private final JobScheduleCatalog schedules;

    JobSchedulePageController(JobScheduleCatalog schedules) {
        this.schedules = schedules;
    }

    @GetMapping("/jobs/schedules")
    String page(@RequestParam(required = false) Long edit, Model model) {
        Map<String, String> form = new LinkedHashMap<>();
        if (edit != null) {
            JobSchedule s = schedules.get(edit);
            form.put("name", s.name());
            form.put("templateId", Long.toString(s.templateId()));
            form.put("cron", s.cron());
            form.put("timeZone", s.timeZone());
            form.put("parameters", String.join(", ", s.parameters().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()));
            form.put("misfire", s.misfire().key());
        }
        return render(model, edit, form, Map.of());
    }

    @PostMapping("/jobs/schedules")
    String create(@RequestParam Map<String, String> form, Authentication auth, Model model, RedirectAttributes redirect) {
        return save(null, form, auth, model, redirect);
    }

    @PostMapping("/jobs/schedules/{id}")
    String update(@PathVariable long id, @RequestParam Map<String, String> form, Authentication auth, Model model,
            RedirectAttributes redirect) {
        return save(id, form, auth, model, redirect);
    }

    private String save(Long id, Map<String, String> form, Authentication auth, Model model, RedirectAttributes redirect) {
        requireWriter(auth);
        try {
            JobScheduleInput input = input(form);
            JobSchedule s = id == null ? schedules.create(input) : schedules.update(id, input);
            redirect.addFlashAttribute(Notice.ATTRIBUTE, Notice.success("schedules.notice.saved", s.name()));
            return "redirect:/jobs/schedules";
        } catch (InvalidInputException e) {
            Map<String, String> errors = new LinkedHashMap<>();
            e.errors().forEach(v -> errors.putIfAbsent(v.field().startsWith("parameters") ? "parameters" : v.field(), v.message()));
            return render(model, id, form, errors);
        } catch (ApiException e) {
            return render(model, id, form, Map.of("name", e.getMessage()));
        }
    }

    @PostMapping("/jobs/schedules/{id}/{action:enable|disable|delete}")
    String change(@PathVariable long id, @PathVariable String action, Authentication auth, RedirectAttributes redirect) {
        requireWriter(auth);
        try {
            if (action.equals("delete")) {
                schedules.delete(id);
            } else {
                schedules.setEnabled(id, action.equals("enable"));
            }
            redirect.addFlashAttribute(Notice.ATTRIBUTE, Notice.success("schedules.notice." + action, "#" + id));
        } catch (ApiException e) {
            redirect.addFlashAttribute(Notice.ATTRIBUTE, Notice.failure("schedules.notice.failed", e.getMessage()));
        }
        return "redirect:/jobs/schedules";
    }

    /** The next five fire times of the form's cron and zone, or what is wrong with them. */
    @PostMapping("/jobs/schedules/preview")
    String preview(@RequestParam(defaultValue = "") String cron, @RequestParam(defaultValue = "UTC") String timeZone, Model model) {
        try {
            List<Instant> times = schedules.upcoming(cron.strip(), timeZone.isBlank() ? "UTC" : timeZone.strip(), 5);
            model.addAttribute("upcoming", times);
            model.addAttribute("zone", java.time.ZoneId.of(timeZone.isBlank() ? "UTC" : timeZone.strip()));
        } catch (RuntimeException e) {
            model.addAttribute("previewError", e.getMessage());
        }
        return "jobs/schedules :: preview";
    }

    private String render(Model model, Long editing, Map<String, String> form, Map<String, String> errors) {
        model.addAttribute("schedules", schedules.list());
        model.addAttribute("editing", editing);
        model.addAttribute("form", form);
        model.addAttribute("errors", errors);
        return "jobs/schedules";
    }

    private static JobScheduleInput input(Map<String, String> form) {
        Long templateId = null;
        String t = form.getOrDefault("templateId", "").strip();
        if (!t.isEmpty()) {
            try {
                templateId = Long.valueOf(t);
            } catch (NumberFormatException e) {
                throw new InvalidInputException("templateId", "must be a number");
            }
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : form.getOrDefault("parameters", "").split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new InvalidInputException("parameters", "must be name=value pairs separated by commas");
            }
            parameters.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
        }
        return new JobScheduleInput(form.get("name"), templateId, form.get("cron"), form.get("timeZone"), parameters,
                form.get("misfire"), null);
    }

    private static void requireWriter(Authentication auth) {
        boolean allowed = auth.getAuthorities().stream()
                .anyMatch(a -> a.getAuthority().equals("ROLE_ADMIN") || a.getAuthority().equals("ROLE_OPERATOR"));
        if (!allowed) {
            throw new AccessDeniedException("operators and admins change job schedules");
        }
    }
}
