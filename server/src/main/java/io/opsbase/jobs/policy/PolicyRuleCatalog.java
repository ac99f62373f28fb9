package io.opsbase.jobs.policy;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import io.opsbase.platform.ConflictException;
import io.opsbase.platform.InvalidInputException;
import io.opsbase.platform.InvalidInputException.FieldViolation;
import io.opsbase.platform.NotFoundException;

/**
 * Reading and changing dangerous-command rules: validated (a pattern must compile), stored and audited in the
 * same transaction. Built-in rules can be changed and disabled but not deleted, so the defaults stay visible.
 */
@Component
public class PolicyRuleCatalog {

    private static final Pattern CI_FIELD = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,99}");

    private final PolicyRuleRepository rules;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    PolicyRuleCatalog(PolicyRuleRepository rules, ApplicationEventPublisher events, Clock clock) {
        this.rules = rules;
        this.events = events;
        this.clock = clock;
    }

    @Transactional(readOnly = true)
    public List<PolicyRule> list() {
        return rules.all();
    }

    @Transactional(readOnly = true)
    public PolicyRule get(long id) {
        return rules.find(id).orElseThrow(() -> new NotFoundException("Job policy rule", id));
    }

    @Transactional
    public PolicyRule create(PolicyRuleInput input) {
        PolicyRule rule = validated(0, input, false);
        long id = rules.insert(rule);
        events.publishEvent(new PolicyRuleChanged("created", id, describe(rule)));
        return get(id);
    }

    @Transactional
    public PolicyRule update(long id, PolicyRuleInput input) {
        PolicyRule before = get(id);
        PolicyRule after = validated(id, input, before.builtin());
        rules.update(after);
        events.publishEvent(new PolicyRuleChanged("updated", id, describe(before) + " -> " + describe(after)));
        return get(id);
    }

    @Transactional
    public PolicyRule setEnabled(long id, boolean enabled) {
        PolicyRule r = get(id);
        if (r.enabled() != enabled) {
            rules.update(new PolicyRule(r.id(), r.name(), r.language(), r.pattern(), r.verdict(), r.ciField(), r.ciValue(),
                    r.description(), enabled, r.builtin(), clock.instant()));
            events.publishEvent(new PolicyRuleChanged(enabled ? "enabled" : "disabled", id, r.name()));
        }
        return get(id);
    }

    @Transactional
    public void delete(long id) {
        PolicyRule r = get(id);
        if (r.builtin()) {
            throw new ConflictException("builtin-rule", "Built-in rule " + r.name() + " cannot be deleted; disable it instead");
        }
        rules.delete(id);
        events.publishEvent(new PolicyRuleChanged("deleted", id, describe(r)));
    }

    /** The field errors of {@code input} (empty when valid), without touching the database beyond a name check. */
    public List<FieldViolation> violations(long id, PolicyRuleInput input) {
        try {
            validated(id, input, false);
            return List.of();
        } catch (InvalidInputException e) {
            return e.errors();
        }
    }

    private PolicyRule validated(long id, PolicyRuleInput in, boolean builtin) {
        List<FieldViolation> errors = new ArrayList<>();
        String name = strip(in.name());
        if (name == null || name.length() > 200) {
            errors.add(new FieldViolation("name", "is required (at most 200 characters)"));
        }
        ScriptLanguage language = ScriptLanguage.ANY;
        if (strip(in.language()) != null) {
            try {
                language = ScriptLanguage.of(in.language());
            } catch (IllegalArgumentException e) {
                errors.add(new FieldViolation("language", "must be any, bash, sh, python or powershell"));
            }
        }
        String pattern = in.pattern();
        if (pattern == null || pattern.isBlank() || pattern.length() > 2000) {
            errors.add(new FieldViolation("pattern", "is required (at most 2000 characters)"));
        } else {
            try {
                Pattern.compile(pattern);
            } catch (PatternSyntaxException e) {
                errors.add(new FieldViolation("pattern", "is not a valid regular expression: " + e.getDescription()
                        + (e.getIndex() >= 0 ? " near index " + e.getIndex() : "")));
            }
        }
        Verdict verdict = verdict(in.verdict());
        if (verdict == null) {
            errors.add(new FieldViolation("verdict", "must be block or require_approval"));
        }
        String ciField = strip(in.ciField());
        String ciValue = strip(in.ciValue());
        if (ciField != null && !CI_FIELD.matcher(ciField).matches()) {
            errors.add(new FieldViolation("ciField", "must be an attribute name, or tag, state, class or owner_team"));
        }
        if ((ciField == null) != (ciValue == null)) {
            errors.add(new FieldViolation(ciField == null ? "ciField" : "ciValue", "ciField and ciValue go together"));
        } else if (ciValue != null && ciValue.length() > 200) {
            errors.add(new FieldViolation("ciValue", "must be at most 200 characters"));
        }
        String description = in.description() == null ? "" : in.description().strip();
        if (description.length() > 1000) {
            errors.add(new FieldViolation("description", "must be at most 1000 characters"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        if (rules.nameTaken(name, id)) {
            throw new ConflictException("duplicate-name", "A job policy rule named " + name + " exists already");
        }
        return new PolicyRule(id, name, language, pattern, verdict, ciField, ciValue, description,
                in.enabled() == null || in.enabled(), builtin, clock.instant());
    }

    static Verdict verdict(String text) {
        if (text == null) {
            return null;
        }
        return switch (text.strip().toLowerCase(Locale.ROOT).replace('-', '_')) {
            case "block" -> Verdict.BLOCK;
            case "require_approval" -> Verdict.REQUIRE_APPROVAL;
            default -> null;
        };
    }

    private static String describe(PolicyRule r) {
        return r.name() + " [" + r.language().key() + ", " + PolicyRuleRepository.verdictKey(r.verdict())
                + (r.hasCiCondition() ? ", when " + r.ciField() + "=" + r.ciValue() : "") + (r.enabled() ? "" : ", disabled")
                + "] /" + r.pattern() + "/";
    }

    private static String strip(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
