package io.opsbase.monitoring;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The body of {@code POST/PUT /api/v1/alert-rules}. Durations as {@code 5m}, {@code 1h30m} or
 * ISO-8601; {@code operator} one of {@code > >= < <= == !=}; {@code function} last, avg, min, max,
 * rate or count. Unset optional fields take the defaults: function last, window 5m, for 0s,
 * noData keep, severity average, enabled true. {@code thresholdMacro}/{@code recoveryMacro}
 * ({@code {$NAME}}) take the thresholds from host and template macros, the numbers being the defaults.
 */
public record AlertRuleInput(String name, String kind, String metric, Map<String, String> labels, Long ciId, String function,
        String window, String operator, Double threshold, Double recoveryThreshold, @JsonProperty("for") String forDuration,
        String noData, String severity, Boolean enabled, Long templateId, String thresholdMacro,
        String recoveryMacro) {
}
