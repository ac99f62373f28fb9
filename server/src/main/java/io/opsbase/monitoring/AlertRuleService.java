package io.opsbase.monitoring;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.opsbase.cmdb.CiService;
import io.opsbase.monitoring.internal.AlertRepository;
import io.opsbase.monitoring.internal.RuleRepository;
import io.opsbase.platform.ConflictException;
import io.opsbase.platform.InvalidInputException;
import io.opsbase.platform.InvalidInputException.FieldViolation;
import io.opsbase.platform.NotFoundException;

/** Alert rules: validated, stored, audited. Evaluation is the {@code AlertEvaluator}'s. */
@Service
public class AlertRuleService {

    private static final Pattern METRIC = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern MACRO = Pattern.compile("\\{\\$[A-Z0-9_.]{1,96}}");
    private static final Duration MAX_WINDOW = Duration.ofDays(1);

    private final RuleRepository rules;
    private final AlertRepository alerts;
    private final CiService cis;
    private final io.opsbase.monitoring.internal.TemplateRepository templates;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    AlertRuleService(RuleRepository rules, AlertRepository alerts, CiService cis, io.opsbase.monitoring.internal.TemplateRepository templates,
            ApplicationEventPublisher events, Clock clock) {
        this.rules = rules;
        this.alerts = alerts;
        this.cis = cis;
        this.templates = templates;
        this.events = events;
        this.clock = clock;
    }

    @Transactional(readOnly = true)
    public List<AlertRule> list() {
        return rules.all();
    }

    @Transactional(readOnly = true)
    public AlertRule get(long id) {
        return rules.find(id).orElseThrow(() -> new NotFoundException("Alert rule", id));
    }

    @Transactional
    public AlertRule create(AlertRuleInput input) {
        AlertRule rule = validated(0, input);
        long id = rules.insert(rule);
        AlertRule created = get(id);
        events.publishEvent(new AlertRuleChanged("created", id, created.name() + ": " + created.expression()));
        return created;
    }

    @Transactional
    public AlertRule update(long id, AlertRuleInput input) {
        AlertRule before = get(id);
        AlertRule rule = validated(id, input);
        rules.update(rule);
        AlertRule after = get(id);
        events.publishEvent(new AlertRuleChanged("updated", id, before.expression() + " -> " + after.expression()
                + (before.enabled() == after.enabled() ? "" : after.enabled() ? " (enabled)" : " (disabled)")));
        return after;
    }

    /** Deletes a rule; its pending alerts are dropped and firing ones resolved, its history kept. */
    @Transactional
    public void delete(long id) {
        AlertRule rule = get(id);
        var now = clock.instant();
        alerts.open(id).values().forEach(a -> {
            if (a.state() == Alert.State.PENDING) {
                alerts.dropPending(a.id());
            } else {
                alerts.resolve(a.id(), a.value(), now);
            }
        });
        rules.delete(id, now);
        events.publishEvent(new AlertRuleChanged("deleted", id, rule.name()));
    }

    private AlertRule validated(long id, AlertRuleInput in) {
        List<FieldViolation> errors = new ArrayList<>();
        String name = in.name() == null ? "" : in.name().strip();
        if (name.isEmpty() || name.length() > 200) {
            errors.add(new FieldViolation("name", "is required (at most 200 characters)"));
        } else if (rules.nameTaken(name, id)) {
            throw new ConflictException("duplicate-name", "An alert rule named " + name + " exists already");
        }
        AlertRule.Kind kind = parse(errors, "kind", in.kind(), AlertRule.Kind.METRIC, AlertRule.Kind::of, "metric or heartbeat");
        String metric = in.metric();
        if (kind == AlertRule.Kind.METRIC && (metric == null || !METRIC.matcher(metric).matches())) {
            errors.add(new FieldViolation("metric", "must be a metric name such as cpu_used_percent"));
        }
        Map<String, String> labels = in.labels() == null ? Map.of() : in.labels();
        labels.forEach((k, v) -> {
            if (!LABEL.matcher(k).matches() || v == null) {
                errors.add(new FieldViolation("labels." + k, "must be a label name with a value"));
            }
        });
        AlertFunction function = parse(errors, "function", in.function(), AlertFunction.LAST, AlertFunction::of,
                "last, avg, min, max, rate or count");
        Duration window = duration(errors, "window", in.window(), Duration.ofMinutes(kind == AlertRule.Kind.HEARTBEAT ? 3 : 5));
        if (window != null && (window.toSeconds() < 10 || window.compareTo(MAX_WINDOW) > 0)) {
            errors.add(new FieldViolation("window", "must be between 10s and 1d"));
        }
        AlertRule.Operator operator = parse(errors, "operator", in.operator(), AlertRule.Operator.GT, AlertRule.Operator::of,
                "one of > >= < <= == !=");
        double threshold = in.threshold() != null ? in.threshold() : 0;
        if (kind == AlertRule.Kind.METRIC && (in.threshold() == null || !Double.isFinite(in.threshold()))) {
            errors.add(new FieldViolation("threshold", "is required and must be a finite number"));
        }
        Double recovery = in.recoveryThreshold();
        if (recovery != null && operator != null) {
            boolean sideOk = switch (operator) {
                case GT, GE -> recovery <= threshold;
                case LT, LE -> recovery >= threshold;
                default -> false;
            };
            if (!sideOk) {
                errors.add(new FieldViolation("recoveryThreshold", operator.ordered()
                        ? "must be on the healthy side of the threshold (hysteresis)" : "needs an ordered operator (> >= < <=)"));
            }
        }
        String thresholdMacro = macro(errors, "thresholdMacro", in.thresholdMacro());
        String recoveryMacro = macro(errors, "recoveryMacro", in.recoveryMacro());
        if (recoveryMacro != null && operator != null && !operator.ordered()) {
            errors.add(new FieldViolation("recoveryMacro", "needs an ordered operator (> >= < <=)"));
        }
        Duration forDuration = duration(errors, "for", in.forDuration(), Duration.ZERO);
        if (forDuration != null && forDuration.compareTo(MAX_WINDOW) > 0) {
            errors.add(new FieldViolation("for", "must be at most 1d"));
        }
        AlertRule.NoData noData = parse(errors, "noData", in.noData(), AlertRule.NoData.KEEP, AlertRule.NoData::of, "alert, ok or keep");
        AlertRule.Severity severity = parse(errors, "severity", in.severity(), AlertRule.Severity.AVERAGE, AlertRule.Severity::of,
                "info, warning, average, high or disaster");
        if (in.ciId() != null) {
            try {
                cis.get(in.ciId());
            } catch (NotFoundException e) {
                errors.add(new FieldViolation("ciId", "CI " + in.ciId() + " does not exist"));
            }
        }
        if (in.templateId() != null && templates.find(in.templateId()).isEmpty()) {
            errors.add(new FieldViolation("templateId", "template " + in.templateId() + " does not exist"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new AlertRule(id, name, kind, kind == AlertRule.Kind.METRIC ? metric : null, labels, in.ciId(), function, window, operator,
                threshold, recovery, forDuration, noData, severity, in.enabled() == null || in.enabled(), clock.instant(), in.templateId(),
                kind == AlertRule.Kind.METRIC ? thresholdMacro : null, kind == AlertRule.Kind.METRIC ? recoveryMacro : null);
    }

    private static <T> T parse(List<FieldViolation> errors, String field, String text, T fallback,
            java.util.function.Function<String, T> parser, String expected) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            return parser.apply(text.strip());
        } catch (IllegalArgumentException e) {
            errors.add(new FieldViolation(field, "must be " + expected));
            return fallback;
        }
    }

    private static String macro(List<FieldViolation> errors, String field, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        if (!MACRO.matcher(text.strip()).matches()) {
            errors.add(new FieldViolation(field, "must be a macro such as {$CPU_HIGH} (capitals, digits, _ and .)"));
            return null;
        }
        return text.strip();
    }

    private static Duration duration(List<FieldViolation> errors, String field, String text, Duration fallback) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        Duration d = Durations.parse(text);
        if (d == null || d.isNegative()) {
            errors.add(new FieldViolation(field, "must be a duration such as 90s, 5m, 1h30m or PT5M"));
            return fallback;
        }
        return d;
    }
}
