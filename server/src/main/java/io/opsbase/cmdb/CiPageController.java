package io.opsbase.cmdb;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.context.MessageSource;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.util.UriComponentsBuilder;

import io.opsbase.platform.ConflictException;
import io.opsbase.platform.InvalidInputException;
import io.opsbase.platform.PreconditionFailedException;
import io.opsbase.web.Notice;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code /cmdb/cis}: the CI list with filters and free-text search, the detail page (drawn by
 * {@link CiDetailPage}), and the create and edit forms with inline
 * validation. Everyone signed in reads; operators and admins write (checked here, as the web
 * security chain only requires a login for these paths).
 */
@Controller
@RequestMapping("/cmdb/cis")
class CiPageController {

    private static final int PAGE_SIZE = 50;
    private static final int REFERENCE_CHOICES = 200;

    private final CiService cis;
    private final CiSearch search;
    private final ClassCatalog classes;
    private final CiDetailPage detailPage;
    private final MessageSource messages;

    CiPageController(CiService cis, CiSearch search, ClassCatalog classes, CiDetailPage detailPage,
            MessageSource messages) {
        this.cis = cis;
        this.search = search;
        this.classes = classes;
        this.detailPage = detailPage;
        this.messages = messages;
    }

    /** The list filters as submitted; blank means no filter. */
    record Filter(String q, String cls, String state, String owner, String tag, String sort) {

        CiQuery query(String cursor) {
            return new CiQuery(blank(cls), blank(state), blank(tag) == null ? List.of() : List.of(tag.strip()),
                    blank(owner), blank(q), List.of(), blank(sort), PAGE_SIZE, cursor, false);
        }

        String url(String cursor) {
            var b = UriComponentsBuilder.fromPath("/cmdb/cis");
            Map<String, String> params = new LinkedHashMap<>();
            params.put("q", q);
            params.put("cls", cls);
            params.put("state", state);
            params.put("owner", owner);
            params.put("tag", tag);
            params.put("sort", sort);
            params.put("cursor", cursor);
            params.forEach((k, v) -> {
                if (blank(v) != null) {
                    b.queryParam(k, v);
                }
            });
            return b.encode().build().toUriString();
        }

        boolean isEmpty() {
            return blank(q) == null && blank(cls) == null && blank(state) == null && blank(owner) == null
                    && blank(tag) == null;
        }

        private static String blank(String s) {
            return s == null || s.isBlank() ? null : s.strip();
        }
    }

    @GetMapping
    String list(Filter filter, @RequestParam(required = false) String cursor, Model model) {
        List<CiClass> all = classes.list();
        model.addAttribute("classes", all);
        model.addAttribute("states", all.stream().flatMap(c -> c.lifecycle().states().stream())
                .collect(java.util.stream.Collectors.toCollection(LinkedHashSet::new)));
        model.addAttribute("filter", filter);
        model.addAttribute("filterEmpty", filter.isEmpty());
        try {
            var page = search.search(filter.query(cursor));
            model.addAttribute("items", page.items());
            model.addAttribute("total", page.total());
            model.addAttribute("nextUrl", page.next() == null ? null : filter.url(page.next()));
        } catch (InvalidInputException e) {
            // An unknown class in the URL: show an empty list with the filter marked.
            model.addAttribute("items", List.of());
            model.addAttribute("total", 0L);
            model.addAttribute("filterError", "cls");
        }
        model.addAttribute("firstUrl", cursor == null ? null : filter.url(null));
        return "cmdb/cis";
    }

    @GetMapping("/new")
    String newForm(@RequestParam(name = "class", required = false) String className, Authentication auth, Model model) {
        requireWriter(auth);
        List<CiClass> all = classes.list();
        CiClass ciClass = findClass(className);
        return form(model, all, ciClass, CiForm.empty(ciClass), Map.of(), null);
    }

    @PostMapping
    String create(@RequestParam MultiValueMap<String, String> params, Authentication auth, Model model,
            HttpServletResponse response, RedirectAttributes redirect) {
        requireWriter(auth);
        CiForm form = CiForm.from(params);
        CiClass ciClass = findClass(form.className());
        try {
            ConfigurationItem ci = cis.create(form.toCreate(ciClass), ChangeContext.ui(auth.getName(), null));
            redirect.addFlashAttribute(Notice.ATTRIBUTE, Notice.success("cmdb.notice.created", ci.name()));
            return "redirect:/cmdb/cis/" + ci.id();
        } catch (InvalidInputException e) {
            response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
            Map<String, String> errors = CiForm.errors(e);
            if (ciClass == null && !errors.containsKey("class")) {
                errors.put("class", "is required");
            }
            return form(model, classes.list(), ciClass, form, errors, null);
        }
    }

    @GetMapping("/{id}")
    String detail(@PathVariable long id, Model model) {
        return detailPage.show(id, model);
    }

    @GetMapping("/{id}/edit")
    String editForm(@PathVariable long id, Authentication auth, Model model) {
        requireWriter(auth);
        ConfigurationItem ci = cis.get(id);
        CiClass ciClass = classes.get(ci.className());
        return form(model, List.of(ciClass), ciClass, CiForm.of(ci, ciClass), Map.of(), ci);
    }

    @PostMapping("/{id}")
    String update(@PathVariable long id, @RequestParam MultiValueMap<String, String> params, Authentication auth,
            Model model, HttpServletResponse response, RedirectAttributes redirect) {
        requireWriter(auth);
        ConfigurationItem ci = cis.get(id);
        CiClass ciClass = classes.get(ci.className());
        CiForm form = CiForm.from(params);
        try {
            cis.update(id, form.toPatch(ciClass), form.version(), ChangeContext.ui(auth.getName(), null));
            redirect.addFlashAttribute(Notice.ATTRIBUTE, Notice.success("cmdb.notice.updated", ci.name()));
            return "redirect:/cmdb/cis/" + id;
        } catch (InvalidInputException e) {
            response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
            return form(model, List.of(ciClass), ciClass, form, CiForm.errors(e), ci);
        } catch (PreconditionFailedException e) {
            response.setStatus(HttpStatus.PRECONDITION_FAILED.value());
            model.addAttribute("stale", true);
            return form(model, List.of(ciClass), ciClass, form, Map.of(), ci);
        }
    }

    @PostMapping("/{id}/transition")
    String transition(@PathVariable long id, @RequestParam String to, @RequestParam(defaultValue = "") String reason,
            @RequestParam(required = false) Integer version, Authentication auth, Locale locale,
            RedirectAttributes redirect) {
        requireWriter(auth);
        try {
            ConfigurationItem ci = cis.transition(id, to, version, ChangeContext.ui(auth.getName(), reason));
            redirect.addFlashAttribute(Notice.ATTRIBUTE, Notice.success("cmdb.notice.transitioned", stateLabel(ci.state(), locale)));
        } catch (ConflictException | PreconditionFailedException e) {
            redirect.addFlashAttribute(Notice.ATTRIBUTE, Notice.failure("cmdb.notice.transitionRejected", stateLabel(to, locale)));
        }
        return "redirect:/cmdb/cis/" + id;
    }

    @PostMapping("/{id}/retire")
    String retire(@PathVariable long id, Authentication auth, RedirectAttributes redirect) {
        requireWriter(auth);
        ConfigurationItem ci = cis.retire(id, null, ChangeContext.ui(auth.getName(), null));
        redirect.addFlashAttribute(Notice.ATTRIBUTE, Notice.success("cmdb.notice.retired", ci.name()));
        return "redirect:/cmdb/cis/" + id;
    }

    /** A choice in a reference attribute's select. */
    record Choice(long id, String name) {
    }

    private String form(Model model, List<CiClass> all, CiClass ciClass, CiForm form, Map<String, String> errors,
            ConfigurationItem existing) {
        model.addAttribute("classes", all);
        model.addAttribute("ciClass", ciClass);
        model.addAttribute("form", form);
        model.addAttribute("errors", errors);
        model.addAttribute("ci", existing);
        Map<String, List<Choice>> choices = new LinkedHashMap<>();
        if (ciClass != null) {
            for (AttributeDefinition a : ciClass.attributes()) {
                if (a.type() == AttributeType.REFERENCE && a.refClass() != null) {
                    choices.put(a.name(), search.search(new CiQuery(a.refClass(), null, List.of(), null, null, List.of(),
                            "name", REFERENCE_CHOICES, null, false)).items().stream()
                            .map(c -> new Choice(c.id(), c.name())).toList());
                }
            }
        }
        model.addAttribute("choices", choices);
        return "cmdb/ci-form";
    }

    /** The named class, or null when the name is blank or unknown (the form then asks for one). */
    private CiClass findClass(String name) {
        if (name == null || name.isBlank()) {
            return null;
        }
        return classes.list().stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
    }

    /** A state as people read it; custom states without a translation show their key. */
    private String stateLabel(String state, Locale locale) {
        return messages.getMessage("state." + state, null, state, locale);
    }

    static void requireWriter(Authentication auth) {
        boolean writer = auth.getAuthorities().stream().anyMatch(a ->
                a.getAuthority().equals("ROLE_ADMIN") || a.getAuthority().equals("ROLE_OPERATOR"));
        if (!writer) {
            throw new AccessDeniedException("Only operators and admins change the CMDB");
        }
    }
}
