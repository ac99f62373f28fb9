package io.opsbase.jobs.policy;

import java.util.ArrayList;
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
 * The dangerous-command policy page ({@code /jobs/policy}): the rules, an edit form that validates as you type
 * (htmx posts the form to {@code /jobs/policy/validate}), and a "try a command" box that runs the same check a
 * job would ({@code /jobs/policy/try}). Everyone signed in reads; admins change rules; operators and admins try.
 */
@Controller
class PolicyPageController {

    private final PolicyRuleCatalog rules;
    private final CommandPolicy policy;

    PolicyPageController(PolicyRuleCatalog rules, CommandPolicy policy) {
        this.rules = rules;
        this.policy = policy;
    }

    @GetMapping("/jobs/policy")
    String page(@RequestParam(required = false) Long edit, Model model) {
        Map<String, String> form = new LinkedHashMap<>();
        if (edit != null) {
            PolicyRule r = rules.get(edit);
            form.put("name", r.name());
            form.put("language", r.language().key());
            form.put("pattern", r.pattern());
            form.put("verdict", PolicyRuleRepository.verdictKey(r.verdict()));
            form.put("ciField", r.ciField() == null ? "" : r.ciField());
            form.put("ciValue", r.ciValue() == null ? "" : r.ciValue());
            form.put("description", r.description());
        }
        return render(model, edit, form, Map.of());
    }

    @PostMapping("/jobs/policy/rules")
    String create(@RequestParam Map<String, String> form, Authentication auth, Model model, RedirectAttributes redirect) {
        return save(null, form, auth, model, redirect);
    }

    @PostMapping("/jobs/policy/rules/{id}")
    String update(@PathVariable long id, @RequestParam Map<String, String> form, Authentication auth, Model model,
            RedirectAttributes redirect) {
        return save(id, form, auth, model, redirect);
    }

    private String save(Long id, Map<String, String> form, Authentication auth, Model model, RedirectAttributes redirect) {
        requireAdmin(auth);
        try {
            PolicyRule r = id == null ? rules.create(input(form)) : rules.update(id, input(form));
            redirect.addFlashAttribute(Notice.ATTRIBUTE, Notice.success("policy.notice.saved", r.name()));
            return "redirect:/jobs/policy";
        } catch (InvalidInputException e) {
            return render(model, id, form, errors(e));
        } catch (ApiException e) {
            return render(model, id, form, Map.of("name", e.getMessage()));
        }
    }

    @PostMapping("/jobs/policy/rules/{id}/{action:enable|disable|delete}")
    String change(@PathVariable long id, @PathVariable String action, Authentication auth, RedirectAttributes redirect) {
        requireAdmin(auth);
        try {
            if (action.equals("delete")) {
                rules.delete(id);
            } else {
                rules.setEnabled(id, action.equals("enable"));
            }
            redirect.addFlashAttribute(Notice.ATTRIBUTE, Notice.success("policy.notice." + action, "#" + id));
        } catch (ApiException e) {
            redirect.addFlashAttribute(Notice.ATTRIBUTE, Notice.failure("policy.notice.failed", e.getMessage()));
        }
        return "redirect:/jobs/policy";
    }

    /** Inline validation of the edit form: the field errors as a fragment. */
    @PostMapping("/jobs/policy/validate")
    String validate(@RequestParam Map<String, String> form, @RequestParam(required = false) Long id, Model model) {
        Map<String, String> errors = new LinkedHashMap<>();
        rules.violations(id == null ? 0 : id, input(form)).forEach(v -> errors.putIfAbsent(v.field(), v.message()));
        model.addAttribute("errors", errors);
        return "jobs/policy :: validation";
    }

    /** The "try a command" box: the decision the job would get, as a fragment. */
    @PostMapping("/jobs/policy/try")
    String tryCommand(@RequestParam(defaultValue = "bash") String language, @RequestParam(defaultValue = "") String script,
            @RequestParam(defaultValue = "") String targets, Authentication auth, Model model) {
        boolean writer = auth.getAuthorities().stream()
                .anyMatch(a -> a.getAuthority().equals("ROLE_ADMIN") || a.getAuthority().equals("ROLE_OPERATOR"));
        if (!writer) {
            throw new AccessDeniedException("operators and admins try commands against the policy");
        }
        try {
            PolicyApiController.validate(language, script);
            model.addAttribute("decision", policy.evaluate(new PolicyRequest(language, script, ids(targets), auth.getName())));
        } catch (InvalidInputException e) {
            model.addAttribute("tryError", e.getMessage());
        } catch (NumberFormatException e) {
            model.addAttribute("tryError", "targets: CI ids separated by commas");
        }
        return "jobs/policy :: decision";
    }

    private String render(Model model, Long editing, Map<String, String> form, Map<String, String> errors) {
        model.addAttribute("rules", rules.list());
        model.addAttribute("editing", editing);
        model.addAttribute("form", form);
        model.addAttribute("errors", errors);
        model.addAttribute("languages", List.of("any", "bash", "sh", "python", "powershell"));
        return "jobs/policy";
    }

    private static PolicyRuleInput input(Map<String, String> form) {
        return new PolicyRuleInput(form.get("name"), form.get("language"), form.get("pattern"), form.get("verdict"),
                form.get("ciField"), form.get("ciValue"), form.get("description"), !"false".equals(form.get("enabled")));
    }

    private static List<Long> ids(String text) {
        List<Long> out = new ArrayList<>();
        for (String part : text.split("[,\\s]+")) {
            if (!part.isBlank()) {
                out.add(Long.parseLong(part.strip()));
            }
        }
        return out;
    }

    private static Map<String, String> errors(InvalidInputException e) {
        Map<String, String> out = new LinkedHashMap<>();
        e.errors().forEach(v -> out.putIfAbsent(v.field(), v.message()));
        return out;
    }

    private static void requireAdmin(Authentication auth) {
        if (auth.getAuthorities().stream().noneMatch(a -> "ROLE_ADMIN".equals(a.getAuthority()))) {
            throw new AccessDeniedException("changing job policy rules needs the admin role");
        }
    }
}
