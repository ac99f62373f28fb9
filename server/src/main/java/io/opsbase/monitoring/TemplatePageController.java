package io.opsbase.monitoring;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import io.opsbase.cmdb.CiClass;
import io.opsbase.cmdb.CiService;
import io.opsbase.cmdb.ClassCatalog;
import io.opsbase.platform.ApiException;
import io.opsbase.platform.InvalidInputException;
import io.opsbase.protocol.MonitoringItem;
import io.opsbase.web.Notice;

import jakarta.servlet.http.HttpServletResponse;

/**
 * The templates editor — {@code /monitoring/templates} (list), {@code /new} and {@code /{id}}: name,
 * parent, binding (CMDB query or explicit hosts), item and macro rows added and removed with htmx,
 * and the template's own and inherited triggers — and a host's monitoring at
 * {@code /monitoring/hosts/{ciId}}: the templates that apply, what its agent runs and its macros,
 * which override the templates'. A refused form comes back (422) with the {@link TemplateService}'s
 * messages under each field. Viewers read; operators and admins save.
 */
@Controller
class TemplatePageController {

    /** Row numbers for rows added by htmx: increasing and above any row number a page renders itself (0, 1, …), so new rows sort last. */
    private static final AtomicLong ROW = new AtomicLong(1_000_000);

    private final TemplateService templates;
    private final AlertRuleService rules;
    private final ClassCatalog classes;
    private final CiService cis;

    TemplatePageController(TemplateService templates, AlertRuleService rules, ClassCatalog classes, CiService cis) {
        this.templates = templates;
        this.rules = rules;
        this.classes = classes;
        this.cis = cis;
    }

    @GetMapping("/monitoring/templates")
    String list(Model model) {
        model.addAttribute("templates", templates.list());
        return "monitoring/templates";
    }

    @GetMapping("/monitoring/templates/new")
    String create(Model model) {
        return form(model, null, TemplateForm.empty(), Map.of());
    }

    @PostMapping("/monitoring/templates/new")
    String create(@RequestParam Map<String, String> posted, @RequestParam(required = false) List<String> bindClasses, Authentication auth,
            Model model, RedirectAttributes redirect, HttpServletResponse response) {
        return save(null, posted, bindClasses, auth, model, redirect, response);
    }

    @GetMapping("/monitoring/templates/{id}")
    String edit(@PathVariable long id, Model model) {
        MonitoringTemplate t = templates.get(id);
        return form(model, t, TemplateForm.of(t, templates.hostsOf(id)), Map.of());
    }

    @PostMapping("/monitoring/templates/{id}")
    String update(@PathVariable long id, @RequestParam Map<String, String> posted, @RequestParam(required = false) List<String> bindClasses,
            Authentication auth, Model model, RedirectAttributes redirect, HttpServletResponse response) {
        templates.get(id);
        return save(id, posted, bindClasses, auth, model, redirect, response);
    }

    @PostMapping("/monitoring/templates/{id}/delete")
    String delete(@PathVariable long id, Authentication auth, RedirectAttributes redirect) {
        MonitoringSettingsPageController.requireWriter(auth);
        MonitoringTemplate t = templates.get(id);
        try {
            templates.delete(id);
            redirect.addFlashAttribute(Notice.ATTRIBUTE, Notice.success("monitoring.notice.templateDeleted", t.name()));
            return "redirect:/monitoring/templates";
        } catch (ApiException e) {
            redirect.addFlashAttribute(Notice.ATTRIBUTE, Notice.failure("monitoring.notice.failed", e.getMessage()));
            return "redirect:/monitoring/templates/" + id;
        }
    }

    /** An empty item row for the editor (htmx appends it to the table). */
    @GetMapping("/monitoring/templates/rows/item")
    String itemRow(Model model) {
        model.addAttribute("n", ROW.incrementAndGet());
        model.addAttribute("row", new TemplateForm.ItemRow("", MonitoringItem.COLLECTOR, "", "", "1m", "10s"));
        model.addAttribute("errors", Map.of());
        model.addAttribute("types", types());
        return "monitoring/template-rows :: itemRow";
    }

    /** An empty macro row (for the template editor and the host page). */
    @GetMapping("/monitoring/templates/rows/macro")
    String macroRow(Model model) {
        model.addAttribute("n", ROW.incrementAndGet());
        model.addAttribute("row", new TemplateForm.MacroRow("", ""));
        model.addAttribute("errors", Map.of());
        return "monitoring/template-rows :: macroRow";
    }

    /** What a row's remove button asks for: nothing; htmx then deletes the row ({@code hx-swap="delete"}). */
    @GetMapping("/monitoring/templates/rows/removed")
    @ResponseBody
    String removed() {
        return "";
    }

    @GetMapping("/monitoring/hosts/{ciId}")
    String host(@PathVariable long ciId, Model model) {
        return host(model, ciId, macroRows(templates.hostMacros(ciId)), Map.of());
    }

    @PostMapping("/monitoring/hosts/{ciId}")
    String saveHostMacros(@PathVariable long ciId, @RequestParam Map<String, String> posted, Authentication auth, Model model,
            RedirectAttributes redirect, HttpServletResponse response) {
        MonitoringSettingsPageController.requireWriter(auth);
        List<TemplateForm.MacroRow> rows = TemplateForm.of(posted, List.of()).macros();
        Map<String, String> macros = new LinkedHashMap<>();
        rows.forEach(r -> macros.put(r.name(), r.value()));
        try {
            templates.replaceHostMacros(ciId, macros);
            redirect.addFlashAttribute(Notice.ATTRIBUTE, Notice.success("monitoring.notice.macrosSaved", "#" + ciId));
            return "redirect:/monitoring/hosts/" + ciId;
        } catch (InvalidInputException e) {
            response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
            return host(model, ciId, rows, errors(e, rows));
        }
    }

    private String host(Model model, long ciId, List<TemplateForm.MacroRow> rows, Map<String, String> errors) {
        model.addAttribute("ci", cis.get(ciId));
        Set<Long> applied = templates.appliedTemplateIds(ciId);
        model.addAttribute("bound", templates.templatesOf(ciId));
        model.addAttribute("applied", templates.list().stream().filter(t -> applied.contains(t.id())).toList());
        model.addAttribute("items", templates.effectiveItems(ciId));
        Map<String, String> inherited = new TreeMap<>(templates.macrosFor(ciId, null));
        templates.hostMacros(ciId).keySet().forEach(inherited::remove);
        model.addAttribute("inherited", inherited);
        model.addAttribute("triggers", rules.list().stream().filter(r -> r.templateId() == null ? r.ciId() == null || r.ciId() == ciId
                : applied.contains(r.templateId())).toList());
        model.addAttribute("rows", rows);
        model.addAttribute("errors", errors);
        return "monitoring/host";
    }

    private String save(Long id, Map<String, String> posted, List<String> bindClasses, Authentication auth, Model model,
            RedirectAttributes redirect, HttpServletResponse response) {
        MonitoringSettingsPageController.requireWriter(auth);
        TemplateForm form = TemplateForm.of(posted, bindClasses);
        Map<String, String> errors;
        try {
            MonitoringTemplate saved = templates.save(id, form.input(), form.hostIds());
            redirect.addFlashAttribute(Notice.ATTRIBUTE, Notice.success("monitoring.notice.templateSaved", saved.name()));
            return "redirect:/monitoring/templates/" + saved.id();
        } catch (InvalidInputException e) {
            response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
            errors = errors(e, form.macros());
        } catch (ApiException e) {
            response.setStatus(e.status().value());
            errors = Map.of("name", e.getMessage());
        } catch (IllegalArgumentException e) {
            response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
            errors = Map.of(e.getMessage(), e.getMessage().equals("bindAttributes")
                    ? "write attributes as name=value, separated by commas" : "write CI numbers, separated by commas");
        }
        return form(model, id == null ? null : templates.get(id), form.compacted(), errors);
    }

    private String form(Model model, MonitoringTemplate template, TemplateForm form, Map<String, String> errors) {
        model.addAttribute("template", template);
        model.addAttribute("form", form);
        model.addAttribute("errors", errors);
        model.addAttribute("types", types());
        model.addAttribute("classes", classes.list().stream().map(CiClass::name).sorted().toList());
        model.addAttribute("parents", templates.list().stream().filter(t -> template == null || t.id() != template.id()).toList());
        List<AlertRule> own = new ArrayList<>();
        List<AlertRule> inherited = new ArrayList<>();
        if (template != null) {
            Set<Long> ancestors = ancestors(template);
            for (AlertRule r : rules.list()) {
                if (r.templateId() != null && r.templateId() == template.id()) {
                    own.add(r);
                } else if (r.templateId() != null && ancestors.contains(r.templateId())) {
                    inherited.add(r);
                }
            }
        }
        model.addAttribute("triggers", own);
        model.addAttribute("inheritedTriggers", inherited);
        return "monitoring/template-edit";
    }

    private Set<Long> ancestors(MonitoringTemplate template) {
        Map<Long, MonitoringTemplate> all = new LinkedHashMap<>();
        templates.list().forEach(t -> all.put(t.id(), t));
        Set<Long> out = new java.util.HashSet<>();
        for (Long at = template.parentId(); at != null && all.containsKey(at) && out.add(at); at = all.get(at).parentId()) {
            // walks up to the root; a cycle (refused on save) would stop at the first repeat
        }
        return out;
    }

    private static List<String> types() {
        return List.of(MonitoringItem.COLLECTOR, MonitoringItem.CHECK, MonitoringItem.PROMETHEUS, MonitoringItem.SCRIPT);
    }

    private static List<TemplateForm.MacroRow> macroRows(Map<String, String> macros) {
        return new TreeMap<>(macros).entrySet().stream().map(e -> new TemplateForm.MacroRow(e.getKey(), e.getValue())).toList();
    }

    /** Field errors by field; a macro's error ({@code macros.{$X}}) is put on its row ({@code macros[n].name}). */
    private static Map<String, String> errors(InvalidInputException e, List<TemplateForm.MacroRow> macros) {
        Map<String, String> out = new LinkedHashMap<>();
        for (var v : e.errors()) {
            String field = v.field();
            if (field.startsWith("macros.")) {
                String name = field.substring("macros.".length());
                for (int n = 0; n < macros.size(); n++) {
                    if (macros.get(n).name().equals(name)) {
                        field = "macros[" + n + "].name";
                    }
                }
            }
            out.putIfAbsent(field, v.message());
        }
        return out;
    }
}
