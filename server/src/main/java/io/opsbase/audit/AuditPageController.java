package io.opsbase.audit;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * {@code /audit}: the audit log for admins and auditors, newest first, filtered and paged by
 * cursor, with a button that walks the whole hash chain. Dates in the filter are whole UTC days;
 * {@code to} includes its day.
 */
@Controller
@RequestMapping("/audit")
class AuditPageController {

    private static final int PAGE_SIZE = 50;

    private final AuditLog auditLog;

    AuditPageController(AuditLog auditLog) {
        this.auditLog = auditLog;
    }

    /** The filter form as submitted; blank fields are no filter. */
    record Filter(String actor, String action, String targetType, String targetId, String requestId, String from,
            String to) {

        Map<String, String> asParams() {
            Map<String, String> params = new LinkedHashMap<>();
            put(params, "actor", actor);
            put(params, "action", action);
            put(params, "targetType", targetType);
            put(params, "targetId", targetId);
            put(params, "requestId", requestId);
            put(params, "from", from);
            put(params, "to", to);
            return params;
        }

        boolean isEmpty() {
            return asParams().isEmpty();
        }

        private static void put(Map<String, String> params, String key, String value) {
            if (value != null && !value.isBlank()) {
                params.put(key, value.strip());
            }
        }
    }

    @GetMapping
    String list(Filter filter, @RequestParam(required = false) Long before, Model model) {
        Map<String, String> errors = new LinkedHashMap<>();
        Instant from = day(filter.from(), 0, "from", errors);
        Instant to = day(filter.to(), 1, "to", errors);
        var params = filter.asParams();
        var page = auditLog.list(new AuditQuery(params.get("actor"), params.get("action"), params.get("targetType"),
                params.get("targetId"), params.get("requestId"), from, to, before, PAGE_SIZE));
        model.addAttribute("filter", filter);
        model.addAttribute("filterParams", params);
        model.addAttribute("filterErrors", errors);
        model.addAttribute("records", page.items());
        var newest = UriComponentsBuilder.fromPath("/audit");
        params.forEach(newest::queryParam);
        model.addAttribute("newestUrl", newest.encode().build().toUriString());
        if (page.next() != null) {
            var older = UriComponentsBuilder.fromPath("/audit");
            params.forEach(older::queryParam);
            model.addAttribute("olderUrl", older.queryParam("before", page.next()).encode().build().toUriString());
        }
        model.addAttribute("paged", before != null);
        return "audit/list";
    }

    /** The chain check: a fragment for htmx, or the whole page with the result when JS is off. */
    @GetMapping("/verify")
    String verify(@RequestHeader(name = "HX-Request", required = false) String htmx, Model model) {
        model.addAttribute("verification", auditLog.verify());
        if (htmx != null) {
            return "audit/list :: verification";
        }
        return list(new Filter(null, null, null, null, null, null, null), null, model);
    }

    private static Instant day(String value, int plusDays, String field, Map<String, String> errors) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(value.strip()).plusDays(plusDays).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            errors.put(field, "audit.invalid.date");
            return null;
        }
    }
}
