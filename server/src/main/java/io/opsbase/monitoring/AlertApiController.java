package io.opsbase.monitoring;

import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.opsbase.platform.InvalidInputException;
import io.opsbase.platform.Page;

/**
 * Alert rules ({@code /api/v1/alert-rules}), alerts ({@code /api/v1/alerts}) and silences
 * ({@code /api/v1/silences}). Reading needs any role; changing needs operator or admin.
 */
@RestController
class AlertApiController {

    private final AlertRuleService rules;
    private final AlertService alerts;

    AlertApiController(AlertRuleService rules, AlertService alerts) {
        this.rules = rules;
        this.alerts = alerts;
    }

    /** An alert rule with its condition spelled out. */
    record RuleView(AlertRule rule, String expression) {
    }

    @GetMapping("/api/v1/alert-rules")
    Page<RuleView> rules() {
        return Page.of(rules.list().stream().map(r -> new RuleView(r, r.expression())).toList());
    }

    @GetMapping("/api/v1/alert-rules/{id}")
    RuleView rule(@PathVariable long id) {
        AlertRule r = rules.get(id);
        return new RuleView(r, r.expression());
    }

    @PostMapping("/api/v1/alert-rules")
    ResponseEntity<RuleView> create(@RequestBody AlertRuleInput input) {
        AlertRule r = rules.create(input);
        return ResponseEntity.created(URI.create("/api/v1/alert-rules/" + r.id())).body(new RuleView(r, r.expression()));
    }

    @PutMapping("/api/v1/alert-rules/{id}")
    RuleView update(@PathVariable long id, @RequestBody AlertRuleInput input) {
        AlertRule r = rules.update(id, input);
        return new RuleView(r, r.expression());
    }

    @DeleteMapping("/api/v1/alert-rules/{id}")
    ResponseEntity<Void> delete(@PathVariable long id) {
        rules.delete(id);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/api/v1/alerts")
    Page<Alert> alerts(@RequestParam(required = false) String state, @RequestParam(required = false) Long ci,
            @RequestParam(required = false) String cursor, @RequestParam(defaultValue = "50") int limit) {
        return alerts.list(state, ci, cursor, limit);
    }

    @GetMapping("/api/v1/alerts/{id}")
    Alert alert(@PathVariable long id) {
        return alerts.get(id);
    }

    record Acknowledgement(String comment) {
    }

    @PostMapping("/api/v1/alerts/{id}/acknowledge")
    Alert acknowledge(@PathVariable long id, @RequestBody(required = false) Acknowledgement body, Authentication auth) {
        return alerts.acknowledge(id, auth.getName(), body == null ? null : body.comment());
    }

    @GetMapping("/api/v1/silences")
    Page<Silence> silences() {
        return Page.of(alerts.silences());
    }

    /** {@code {"matchers": {"ci": "42"}, "duration": "2h", "comment": "disk swap", "startsAt": optional}}. */
    record SilenceInput(Map<String, String> matchers, String startsAt, String duration, String comment) {
    }

    @PostMapping("/api/v1/silences")
    ResponseEntity<Silence> silence(@RequestBody SilenceInput input, Authentication auth) {
        Instant start = null;
        if (input.startsAt() != null && !input.startsAt().isBlank()) {
            try {
                start = Instant.parse(input.startsAt());
            } catch (DateTimeParseException e) {
                throw new InvalidInputException("startsAt", "must be an ISO-8601 instant");
            }
        }
        var duration = Durations.parse(input.duration());
        if (duration == null) {
            throw new InvalidInputException(List.of(new InvalidInputException.FieldViolation("duration",
                    "must be a duration such as 2h or PT2H")));
        }
        Silence s = alerts.silence(input.matchers(), start, duration, input.comment(), auth.getName());
        return ResponseEntity.created(URI.create("/api/v1/silences/" + s.id())).body(s);
    }

    @DeleteMapping("/api/v1/silences/{id}")
    ResponseEntity<Void> expire(@PathVariable long id) {
        alerts.expire(id);
        return ResponseEntity.noContent().build();
    }
}
