package io.opsbase.monitoring;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * An alert rule: {@code function(metric{labels}[window]) operator threshold}, held for {@code forDuration}
 * before it fires, with an optional recovery threshold (hysteresis: a rule firing above 90 % with
 * recovery 80 resolves only below 80 %), a policy for series that stop reporting, and a severity.
 * {@code ciId} limits it to one CI; null means every CI whose series match; {@code templateId}
 * makes it a template's trigger, for the CIs bound to that template only. The built-in host-down
 * rule ({@link Kind#HEARTBEAT}) watches agents' heartbeats instead of a metric. {@code thresholdMacro}
 * and {@code recoveryMacro} (e.g. {@code {$CPU_HIGH}}) take the thresholds from the host's or its
 * templates' macros; {@code threshold} and {@code recoveryThreshold} are then the defaults for hosts
 * where the macro has no numeric value.
 */
public record AlertRule(long id, String name, Kind kind, String metric, Map<String, String> labels, Long ciId,
        AlertFunction function, Duration window, Operator operator, double threshold, Double recoveryThreshold,
        Duration forDuration, NoData noData, Severity severity, boolean enabled, Instant updatedAt, Long templateId,
        String thresholdMacro, String recoveryMacro) {

    public AlertRule {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    /** What a rule watches. */
    public enum Kind {
        METRIC, HEARTBEAT;

        @JsonValue
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Kind of(String text) {
            return valueOf(text.toUpperCase(Locale.ROOT));
        }
    }

    /** How the computed value is compared with the threshold. */
    public enum Operator {
        GT(">"), GE(">="), LT("<"), LE("<="), EQ("=="), NE("!=");

        private final String symbol;

        Operator(String symbol) {
            this.symbol = symbol;
        }

        @JsonValue
        public String symbol() {
            return symbol;
        }

        @JsonCreator
        public static Operator of(String text) {
            for (Operator o : values()) {
                if (o.symbol.equals(text) || o.name().equalsIgnoreCase(text)) {
                    return o;
                }
            }
            throw new IllegalArgumentException("unknown operator " + text);
        }

        public boolean test(double value, double threshold) {
            return switch (this) {
                case GT -> value > threshold;
                case GE -> value >= threshold;
                case LT -> value < threshold;
                case LE -> value <= threshold;
                case EQ -> value == threshold;
                case NE -> value != threshold;
            };
        }

        /** Whether a recovery threshold makes sense (a direction to recover in). */
        public boolean ordered() {
            return this != EQ && this != NE;
        }
    }

    /** What happens when a series has no sample in the window. */
    public enum NoData {
        /** Raise the alert: silence is the problem (a host or a scrape gone). */
        ALERT,
        /** Treat it as healthy: resolve a firing alert. */
        OK,
        /** Keep the state the series had. */
        KEEP;

        @JsonValue
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static NoData of(String text) {
            return valueOf(text.toUpperCase(Locale.ROOT));
        }
    }

    /** Severities, lowest first (Zabbix's scale without "not classified"). */
    public enum Severity {
        INFO, WARNING, AVERAGE, HIGH, DISASTER;

        @JsonValue
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Severity of(String text) {
            return valueOf(text.toUpperCase(Locale.ROOT));
        }
    }

    /**
     * This rule with its thresholds as one host sees them: each macro replaced by its numeric value
     * in {@code macros} (a missing or non-numeric value keeps the default). A recovery threshold that
     * would land on the breaching side is dropped, so the rule then recovers when it stops holding.
     */
    public AlertRule resolved(Map<String, String> macros) {
        if (thresholdMacro == null && recoveryMacro == null) {
            return this;
        }
        double t = thresholdMacro == null ? threshold : numeric(macros.get(thresholdMacro), threshold);
        Double r = recoveryMacro == null ? recoveryThreshold : (Double) numeric(macros.get(recoveryMacro), recoveryThreshold);
        boolean sideOk = r == null || switch (operator) {
            case GT, GE -> r <= t;
            case LT, LE -> r >= t;
            default -> false;
        };
        return new AlertRule(id, name, kind, metric, labels, ciId, function, window, operator, t, sideOk ? r : null, forDuration, noData,
                severity, enabled, updatedAt, templateId, null, null);
    }

    private static Double numeric(String text, Double fallback) {
        if (text == null) {
            return fallback;
        }
        try {
            double v = Double.parseDouble(text.strip());
            return Double.isFinite(v) ? v : fallback;
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /** Whether the value breaks the rule. NaN never does. */
    public boolean breached(double value) {
        return !Double.isNaN(value) && operator.test(value, threshold);
    }

    /**
     * Whether a firing alert with this value has recovered: below the recovery threshold (for
     * {@code >}/{@code >=}) or above it (for {@code <}/{@code <=}) when one is set, otherwise as
     * soon as the rule no longer holds.
     */
    public boolean recovered(double value) {
        if (Double.isNaN(value)) {
            return false;
        }
        if (recoveryThreshold == null) {
            return !breached(value);
        }
        return switch (operator) {
            case GT, GE -> value < recoveryThreshold;
            case LT, LE -> value > recoveryThreshold;
            default -> !breached(value);
        };
    }

    /** The condition as people read it, e.g. {@code avg(cpu_used_percent{cpu="total"}[5m]) > 90}. */
    public String expression() {
        if (kind == Kind.HEARTBEAT) {
            return "no heartbeat for " + Durations.text(window);
        }
        StringBuilder s = new StringBuilder(function.key()).append('(').append(metric);
        if (!labels.isEmpty()) {
            s.append('{');
            new java.util.TreeMap<>(labels).forEach((k, v) -> s.append(k).append("=\"").append(v).append("\","));
            s.setLength(s.length() - 1);
            s.append('}');
        }
        s.append('[').append(Durations.text(window)).append("]) ").append(operator.symbol()).append(' ');
        s.append(thresholdMacro != null ? thresholdMacro : Durations.number(threshold));
        return s.toString();
    }
}
