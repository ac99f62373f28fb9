package io.opsbase.monitoring;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.http.HttpStatus;
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

import jakarta.servlet.http.HttpServletResponse;

/**
 * The alert rules page: the list, and one form to create a rule or edit one ({@code /monitoring/rules/{id}})
 * — metric and labels, window function, operator, threshold and recovery threshold (numbers, or macros
 * resolved per host), for-duration, no-data policy, severity, target (every CI, one CI or a
 * template's hosts) and whether it is on. A refused form comes back (422) with the
 * {@link AlertRuleService}'s message under each field.
 */
@Controller
class RulePageController {

    private final AlertRuleService rules;
    private final TemplateService templates;

    RulePageController(AlertRuleService rules, TemplateService templates) {
        this.rules = rules;
        this.templates = templates;
    }

    @GetMapping("/monitoring/rules")
    String list(@RequestParam(required = false) Long templateId, Model model) {
        Map<String, String> form = new LinkedHashMap<>(Map.of("enabled", "on"));
        if (templateId != null) {
            form.put("templateId", templateId.toString());
        }
        return page(model, null, form, Map.of());
    }

    @GetMapping("/monitoring/rules/{id}")
    String edit(@PathVariable long id, Model model) {
        AlertRule r = rules.get(id);
        return page(model, r, form(r), Map.of());
    }

    @PostMapping("/monitoring/rules")
    String create(@RequestParam Map<String, String> form, Authentication auth, Model model, RedirectAttributes redirect,
            HttpServletResponse response) {
        return save(null, form, auth, model, redirect, response);
    }

    @PostMapping("/monitoring/rules/{id}")
    String update(@PathVariable long id, @RequestParam Map<String, String> form, Authentication auth, Model model,
            RedirectAttributes redirect, HttpServletResponse response) {
        rules.get(id);
        return save(id, form, auth, model, redirect, response);
    }

    @PostMapping("/monitoring/rules/{id}/delete")
    String delete(@PathVariable long id, Authentication auth, RedirectAttributes redirect) {
        MonitoringSettingsPageController.requireWriter(auth);
        AlertRule r = rules.get(id);
        rules.delete(id);
        redirect.addFlashAttribute(Notice.ATTRIBUTE, Notice.success("monitoring.notice.ruleDeleted", r.name()));
        return "redirect:/monitoring/rules";
    }

    private String save(Long id, Map<String, String> form, Authentication auth, Model model, RedirectAttributes redirect,
            HttpServletResponse response) {
        MonitoringSettingsPageController.requireWriter(auth);
        Map<String, String> errors;
        try {
            AlertRuleInput input = input(form);
            AlertRule r = id == null ? rules.create(input) : rules.update(id, input);
            redirect.addFlashAttribute(Notice.ATTRIBUTE, Notice.success(id == null ? "monitoring.notice.ruleCreated"
                    : "monitoring.notice.ruleSaved", r.name()));
            return "redirect:/monitoring/rules";
        } catch (InvalidInputException e) {
            response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
            errors = MonitoringSettingsPageController.errors(e);
        } catch (ApiException e) {
            response.setStatus(e.status().value());
            errors = Map.of("name", e.getMessage());
        } catch (IllegalArgumentException e) {
            response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
            errors = Map.of("labels", "write labels as name=value, separated by commas");
        }
        return page(model, id == null ? null : rules.get(id), form, errors);
    }

    private String page(Model model, AlertRule editing, Map<String, String> form, Map<String, String> errors) {
        model.addAttribute("rules", rules.list());
        model.addAttribute("templates", templates.list());
        model.addAttribute("editing", editing);
        model.addAttribute("form", form);
        model.addAttribute("errors", errors);
        return "monitoring/rules";
    }

    private static AlertRuleInput input(Map<String, String> form) {
        return new AlertRuleInput(form.get("name"), MonitoringSettingsPageController.blank(form.get("kind")),
                MonitoringSettingsPageController.blank(form.get("metric")), MonitoringSettingsPageController.labels(form.get("labels")),
                id(form, "ciId"), text(form, "function"), text(form, "window"), text(form, "operator"), number(form, "threshold"),
                number(form, "recoveryThreshold"), text(form, "for"), text(form, "noData"), text(form, "severity"),
                form.containsKey("_enabled") ? (Boolean) form.containsKey("enabled") : null, id(form, "templateId"), text(form, "thresholdMacro"), text(form, "recoveryMacro"));
    }

    /**
     * The form a rule is edited in, as the page posts it. The page sends {@code _enabled} beside the
     * checkbox, so an unticked box (which browsers do not send) is told from a form without one.
     */
    private static Map<String, String> form(AlertRule r) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("name", r.name());
        form.put("kind", r.kind().key());
        form.put("metric", r.metric() == null ? "" : r.metric());
        form.put("labels", String.join(", ", new TreeMap<>(r.labels()).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()));
        form.put("function", r.function().key());
        form.put("window", Durations.text(r.window()));
        form.put("operator", r.operator().symbol());
        form.put("threshold", Durations.number(r.threshold()));
        form.put("thresholdMacro", r.thresholdMacro() == null ? "" : r.thresholdMacro());
        form.put("recoveryThreshold", r.recoveryThreshold() == null ? "" : Durations.number(r.recoveryThreshold()));
        form.put("recoveryMacro", r.recoveryMacro() == null ? "" : r.recoveryMacro());
        form.put("for", r.forDuration().isZero() ? "" : Durations.text(r.forDuration()));
        form.put("noData", r.noData().key());
        form.put("severity", r.severity().key());
        form.put("ciId", r.ciId() == null ? "" : r.ciId().toString());
        form.put("templateId", r.templateId() == null ? "" : r.templateId().toString());
        if (r.enabled()) {
            form.put("enabled", "on");
        }
        return form;
    }

    private static String text(Map<String, String> form, String field) {
        return MonitoringSettingsPageController.blank(form.get(field));
    }

    private static Double number(Map<String, String> form, String field) {
        String s = form.get(field);
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return Double.valueOf(s.strip());
        } catch (NumberFormatException e) {
            throw new InvalidInputException(field, "must be a number");
        }
    }

    private static Long id(Map<String, String> form, String field) {
        String s = form.get(field);
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return Long.valueOf(s.strip().replaceFirst("^#", ""));
        } catch (NumberFormatException e) {
            throw new InvalidInputException(field, "must be a number");
        }
    }
}
