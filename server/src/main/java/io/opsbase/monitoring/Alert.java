package io.opsbase.monitoring;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * An alert: one rule breached by one series (or one host's heartbeat). Its lifecycle is
 * {@code pending → firing → resolved}; a pending alert whose condition stops holding before
 * {@code for} passes is dropped, never fired. Acknowledgement, silencing, maintenance, flapping and
 * suppression by a failed dependency do not change the state — they say whether people are told.
 */
public record Alert(long id, long ruleId, String rule, AlertRule.Severity severity, long ciId, String series,
        Map<String, String> labels, State state, Double value, boolean noData, Instant startedAt, Instant firedAt,
        Instant resolvedAt, boolean flapping, Long suppressedBy, String acknowledgedBy, Instant acknowledgedAt,
        String acknowledgeComment, Long silencedBy) {

    /** The lifecycle; the transitions are made only by the evaluator. */
    public enum State {
        PENDING, FIRING, RESOLVED;

        @JsonValue
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static State of(String text) {
            return valueOf(text.toUpperCase(Locale.ROOT));
        }
    }

    public Alert withSilence(Long silenceId) {
        return new Alert(id, ruleId, rule, severity, ciId, series, labels, state, value, noData, startedAt, firedAt, resolvedAt,
                flapping, suppressedBy, acknowledgedBy, acknowledgedAt, acknowledgeComment, silenceId);
    }

    /** What silences match against: the series' labels plus {@code rule}, {@code severity} and {@code ci}. */
    public Map<String, String> matchLabels() {
        var all = new java.util.TreeMap<>(labels);
        all.put("rule", rule);
        all.put("severity", severity.key());
        all.put("ci", Long.toString(ciId));
        return all;
    }
}
