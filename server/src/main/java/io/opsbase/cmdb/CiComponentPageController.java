package io.opsbase.cmdb;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import io.opsbase.platform.ConflictException;
import io.opsbase.platform.InvalidInputException;
import io.opsbase.web.Notice;

/**
 * Components of a hardware CI, entered by hand on its detail page: add one (kind, identity and
 * {@code key=value} attribute lines) or remove one. Each change lands in the CI's history.
 */
@Controller
@RequestMapping("/cmdb/cis/{id}/components")
class CiComponentPageController {

    private final CiComponents components;

    CiComponentPageController(CiComponents components) {
        this.components = components;
    }

    @PostMapping
    String add(@PathVariable long id, @RequestParam String kind, @RequestParam String identity,
            @RequestParam(defaultValue = "") String attributes, Authentication auth, RedirectAttributes redirect) {
        CiPageController.requireWriter(auth);
        try {
            CiComponent added = components.add(id, new ComponentSpec(kind, identity.strip(), parse(attributes)),
                    ChangeContext.ui(auth.getName(), null));
            redirect.addFlashAttribute(Notice.ATTRIBUTE, Notice.success("cmdb.notice.componentAdded",
                    added.kind() + " " + added.identity()));
        } catch (InvalidInputException e) {
            redirect.addFlashAttribute(Notice.ATTRIBUTE, Notice.failure("cmdb.notice.componentRejected",
                    e.errors().getFirst().field() + ": " + e.errors().getFirst().message()));
        } catch (ConflictException e) {
            redirect.addFlashAttribute(Notice.ATTRIBUTE, Notice.failure("cmdb.notice.componentRejected", e.getMessage()));
        }
        return "redirect:/cmdb/cis/" + id + "#components";
    }

    @PostMapping("/{componentId}/remove")
    String remove(@PathVariable long id, @PathVariable long componentId, Authentication auth,
            RedirectAttributes redirect) {
        CiPageController.requireWriter(auth);
        components.remove(id, componentId, ChangeContext.ui(auth.getName(), null));
        redirect.addFlashAttribute(Notice.ATTRIBUTE, Notice.success("cmdb.notice.componentRemoved", Long.toString(componentId)));
        return "redirect:/cmdb/cis/" + id + "#components";
    }

    /**
     * {@code key=value} per line; numbers and {@code true}/{@code false} become numbers and booleans,
     * the rest stays text. Lines without {@code =} are ignored.
     */
    static Map<String, Object> parse(String lines) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        for (String line : lines.split("\\R")) {
            int eq = line.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            attributes.put(key, value.matches("-?\\d{1,18}") ? (Object) Long.parseLong(value)
                    : value.matches("-?\\d+\\.\\d+") ? new BigDecimal(value)
                    : value.equals("true") || value.equals("false") ? (Object) Boolean.parseBoolean(value) : value);
        }
        return attributes;
    }
}
