package io.opsbase.jobs.policy;

import java.net.URI;
import java.util.List;

import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import io.opsbase.platform.InvalidInputException;
import io.opsbase.platform.Page;

/**
 * Dangerous-command rules ({@code /api/v1/job-policy/rules}) and the dry run ({@code POST /api/v1/job-policy/check}).
 * Every role reads the rules; only admins change them (checked here, answered 403 by the security filters);
 * operators and admins run the dry run.
 */
@RestController
class PolicyApiController {

    private final PolicyRuleCatalog rules;
    private final CommandPolicy policy;

    PolicyApiController(PolicyRuleCatalog rules, CommandPolicy policy) {
        this.rules = rules;
        this.policy = policy;
    }

    @GetMapping("/api/v1/job-policy/rules")
    Page<PolicyRule> list() {
        return Page.of(rules.list());
    }

    @GetMapping("/api/v1/job-policy/rules/{id}")
    PolicyRule get(@PathVariable long id) {
        return rules.get(id);
    }

    @PostMapping("/api/v1/job-policy/rules")
    ResponseEntity<PolicyRule> create(@RequestBody PolicyRuleInput input, Authentication auth) {
        requireAdmin(auth);
        PolicyRule r = rules.create(input);
        return ResponseEntity.created(URI.create("/api/v1/job-policy/rules/" + r.id())).body(r);
    }

    @PutMapping("/api/v1/job-policy/rules/{id}")
    PolicyRule update(@PathVariable long id, @RequestBody PolicyRuleInput input, Authentication auth) {
        requireAdmin(auth);
        return rules.update(id, input);
    }

    @PostMapping("/api/v1/job-policy/rules/{id}/enable")
    PolicyRule enable(@PathVariable long id, Authentication auth) {
        requireAdmin(auth);
        return rules.setEnabled(id, true);
    }

    @PostMapping("/api/v1/job-policy/rules/{id}/disable")
    PolicyRule disable(@PathVariable long id, Authentication auth) {
        requireAdmin(auth);
        return rules.setEnabled(id, false);
    }

    @DeleteMapping("/api/v1/job-policy/rules/{id}")
    ResponseEntity<Void> delete(@PathVariable long id, Authentication auth) {
        requireAdmin(auth);
        rules.delete(id);
        return ResponseEntity.noContent().build();
    }

    /** {@code {"language": "bash", "script": "…", "targetCiIds": [1, 2]}}. */
    record CheckInput(String language, String script, List<Long> targetCiIds) {
    }

    @PostMapping("/api/v1/job-policy/check")
    PolicyDecision check(@RequestBody CheckInput input, Authentication auth) {
        validate(input.language(), input.script());
        return policy.evaluate(new PolicyRequest(input.language(), input.script(), input.targetCiIds(), auth.getName()));
    }

    static void validate(String language, String script) {
        List<InvalidInputException.FieldViolation> errors = new java.util.ArrayList<>();
        try {
            if (language == null || ScriptLanguage.of(language) == ScriptLanguage.ANY) {
                errors.add(new InvalidInputException.FieldViolation("language", "must be bash, sh, python or powershell"));
            }
        } catch (IllegalArgumentException e) {
            errors.add(new InvalidInputException.FieldViolation("language", "must be bash, sh, python or powershell"));
        }
        if (script == null || script.isBlank()) {
            errors.add(new InvalidInputException.FieldViolation("script", "is required"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
    }

    static void requireAdmin(Authentication auth) {
        if (auth.getAuthorities().stream().noneMatch(a -> "ROLE_ADMIN".equals(a.getAuthority()))) {
            throw new AccessDeniedException("changing job policy rules needs the admin role");
        }
    }
}
