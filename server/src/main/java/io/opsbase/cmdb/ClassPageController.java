package io.opsbase.cmdb;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
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
import io.opsbase.platform.InvalidInputException;
import io.opsbase.web.Notice;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code /cmdb/classes}: the CMDB schema — every class with its typed attributes, lifecycle and
 * number of live CIs — and, for admins, the class editor: new classes, label, description and
 * lifecycle, adding and removing attributes. All changes go through {@link ClassCatalog}.
 */
@Controller
@RequestMapping("/cmdb/classes")
class ClassPageController {

    private final ClassCatalog classes;
    private final CiSearch search;

    ClassPageController(ClassCatalog classes, CiSearch search) {
        this.classes = classes;
        this.search = search;
    }

    /** The add-attribute form as typed. */
    record AttributeForm(String name, String label, String type, Boolean required, Boolean unique, String pattern,
            String defaultValue, String enumValues, String refClass) {

        AttributeForm {
            // Unticked checkboxes are not posted at all.
            required = required != null && required;
            unique = unique != null && unique;
            name = nz(name);
            label = nz(label);
            type = type == null || type.isBlank() ? "string" : type;
            pattern = nz(pattern);
            defaultValue = nz(defaultValue);
            enumValues = nz(enumValues);
            refClass = nz(refClass);
        }

        private static String nz(String s) {
            return s == null ? "" : s;
        }

        static AttributeForm blank() {
            return new AttributeForm("", "", "string", false, false, "", "", "", "");
        }

        NewAttribute toNewAttribute() {
            List<String> values = enumValues.isBlank() ? null
                    : Arrays.stream(enumValues.split(",")).map(String::strip).filter(v -> !v.isEmpty()).toList();
            Object typedDefault = null;
            if (!defaultValue.isBlank()) {
                typedDefault = defaultValue.strip();
                try {
                    var probe = new AttributeDefinition(name, label, AttributeType.fromKey(type), false, false, null, null,
                            values, null);
                    typedDefault = CiForm.typed(probe, defaultValue.strip());
                } catch (IllegalArgumentException e) {
                    // An unknown type: the catalog reports it on the type field.
                }
            }
            return new NewAttribute(name.strip(), label.isBlank() ? null : label.strip(), type, required, unique,
                    pattern.isBlank() ? null : pattern, typedDefault, values, refClass.isBlank() ? null : refClass);
        }
    }

    @GetMapping
    String list(Model model) {
        List<CiClass> all = classes.list();
        Map<String, Long> counts = new LinkedHashMap<>();
        for (CiClass c : all) {
            counts.put(c.name(), liveCount(c.name()));
        }
        model.addAttribute("classes", all);
        model.addAttribute("counts", counts);
        return "cmdb/classes";
    }

    @GetMapping("/new")
    String newForm(Authentication auth, Model model) {
        requireAdmin(auth);
        model.addAttribute("form", new NewClass("", "", "", false, null, null));
        model.addAttribute("errors", Map.of());
        return "cmdb/class-new";
    }

    @PostMapping
    String create(@RequestParam String name, @RequestParam(defaultValue = "") String label,
            @RequestParam(defaultValue = "") String description, @RequestParam(defaultValue = "false") boolean hardware,
            Authentication auth, Model model, HttpServletResponse response, RedirectAttributes redirect) {
        requireAdmin(auth);
        NewClass request = new NewClass(name.strip(), label, description.isBlank() ? null : description.strip(),
                hardware, null, null);
        try {
            CiClass created = classes.create(request, ChangeContext.ui(auth.getName(), null));
            redirect.addFlashAttribute(Notice.ATTRIBUTE, Notice.success("cmdb.notice.classCreated", created.label()));
            return "redirect:/cmdb/classes/" + created.name();
        } catch (InvalidInputException e) {
            model.addAttribute("errors", fieldErrors(e, ""));
        } catch (ConflictException e) {
            model.addAttribute("errors", Map.of("name", e.getMessage()));
        }
        response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
        model.addAttribute("form", request);
        return "cmdb/class-new";
    }

    @GetMapping("/{name}")
    String detail(@PathVariable String name, Model model) {
        CiClass ciClass = classes.get(name);
        model.addAttribute("ciClass", ciClass);
        model.addAttribute("count", liveCount(name));
        model.addAttribute("types", AttributeType.values());
        model.addAttribute("classNames", classes.list().stream().map(CiClass::name).toList());
        if (!model.containsAttribute("attributeForm")) {
            model.addAttribute("attributeForm", AttributeForm.blank());
        }
        if (!model.containsAttribute("lifecycleText")) {
            model.addAttribute("lifecycleText", LifecycleText.format(ciClass.lifecycle()));
        }
        if (!model.containsAttribute("errors")) {
            model.addAttribute("errors", Map.of());
        }
        return "cmdb/class";
    }

    @PostMapping("/{name}")
    String update(@PathVariable String name, @RequestParam(defaultValue = "") String label,
            @RequestParam(defaultValue = "") String description, @RequestParam String lifecycle,
            @RequestParam(required = false) Integer version, Authentication auth, Model model,
            HttpServletResponse response, RedirectAttributes redirect) {
        requireAdmin(auth);
        try {
            classes.update(name, label, description, LifecycleText.parse(lifecycle), version,
                    ChangeContext.ui(auth.getName(), null));
            redirect.addFlashAttribute(Notice.ATTRIBUTE, Notice.success("cmdb.notice.classUpdated", name));
            return "redirect:/cmdb/classes/" + name;
        } catch (InvalidInputException e) {
            model.addAttribute("errors", fieldErrors(e, ""));
        } catch (ConflictException e) {
            model.addAttribute("errors", Map.of("lifecycle", e.getMessage()));
        } catch (io.opsbase.platform.PreconditionFailedException e) {
            model.addAttribute("errors", Map.of("lifecycle", e.getMessage()));
        }
        response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
        model.addAttribute("lifecycleText", lifecycle);
        model.addAttribute("editOpen", true);
        return detail(name, model);
    }

    @PostMapping("/{name}/attributes")
    String addAttribute(@PathVariable String name, AttributeForm form, Authentication auth, Model model,
            HttpServletResponse response, RedirectAttributes redirect) {
        requireAdmin(auth);
        try {
            classes.addAttribute(name, form.toNewAttribute(), ChangeContext.ui(auth.getName(), null));
            redirect.addFlashAttribute(Notice.ATTRIBUTE, Notice.success("cmdb.notice.attributeAdded", form.name()));
            return "redirect:/cmdb/classes/" + name;
        } catch (InvalidInputException e) {
            response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
            model.addAttribute("errors", fieldErrors(e, "attribute."));
            model.addAttribute("attributeForm", form);
            model.addAttribute("attributeOpen", true);
            return detail(name, model);
        }
    }

    @PostMapping("/{name}/attributes/{attribute}/remove")
    String removeAttribute(@PathVariable String name, @PathVariable String attribute, Authentication auth,
            RedirectAttributes redirect) {
        requireAdmin(auth);
        classes.removeAttribute(name, attribute, ChangeContext.ui(auth.getName(), null));
        redirect.addFlashAttribute(Notice.ATTRIBUTE, Notice.success("cmdb.notice.attributeRemoved", attribute));
        return "redirect:/cmdb/classes/" + name;
    }

    /** Field errors keyed by the form's input names: the catalog's prefix is dropped, list indexes too. */
    private static Map<String, String> fieldErrors(InvalidInputException e, String prefix) {
        Map<String, String> errors = new LinkedHashMap<>();
        for (var v : e.errors()) {
            String field = v.field().startsWith(prefix) ? v.field().substring(prefix.length()) : v.field();
            errors.merge(field.replaceAll("\\[\\d+]$", ""), v.message(), (a, b) -> a + "; " + b);
        }
        return errors;
    }

    private long liveCount(String className) {
        Long total = search.search(new CiQuery(className, null, List.of(), null, null, List.of(), "id", 1, null, false))
                .total();
        return total == null ? 0 : total;
    }

    private static void requireAdmin(Authentication auth) {
        if (auth.getAuthorities().stream().noneMatch(a -> a.getAuthority().equals("ROLE_ADMIN"))) {
            throw new AccessDeniedException("Only admins change the CMDB schema");
        }
    }

    /**
     * A lifecycle as editable text: one line per state, {@code state -> target, target}; the first
     * line's state is where new CIs start. A state with no way out is written alone.
     */
    static final class LifecycleText {

        private LifecycleText() {
        }

        static String format(Lifecycle lifecycle) {
            List<String> lines = new ArrayList<>();
            List<String> states = new ArrayList<>(lifecycle.states());
            states.remove(lifecycle.initial());
            states.addFirst(lifecycle.initial());
            for (String s : states) {
                List<String> to = lifecycle.allowed(s);
                lines.add(to.isEmpty() ? s : s + " -> " + String.join(", ", to));
            }
            return String.join("\n", lines);
        }

        static Lifecycle parse(String text) {
            List<String> states = new ArrayList<>();
            Map<String, List<String>> transitions = new LinkedHashMap<>();
            for (String raw : text.split("\\R")) {
                String line = raw.strip();
                if (line.isEmpty()) {
                    continue;
                }
                String[] parts = line.split("->", 2);
                String from = parts[0].strip();
                List<String> to = parts.length < 2 ? List.of()
                        : Arrays.stream(parts[1].split(",")).map(String::strip).filter(t -> !t.isEmpty()).toList();
                states.add(from);
                transitions.put(from, to);
            }
            return new Lifecycle(states.isEmpty() ? null : states.getFirst(), states, transitions);
        }
    }
}
