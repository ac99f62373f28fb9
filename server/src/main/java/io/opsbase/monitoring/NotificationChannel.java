package io.opsbase.monitoring;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Where alerts are told. {@code target} is shown masked: a chat robot's URL carries its access
 * token, so the full value is stored encrypted and never answered. Alerts at or above
 * {@code minSeverity} are sent, those firing within {@code groupWait} together in one message, and
 * a firing alert nobody acknowledged is told again every {@code repeatEvery}.
 */
public record NotificationChannel(long id, String name, Type type, String target, boolean hasSecret,
        AlertRule.Severity minSeverity, Duration groupWait, Duration repeatEvery, boolean enabled, Instant updatedAt) {

    /** The message formats. */
    public enum Type {
        WEBHOOK, EMAIL, DINGTALK, WECOM, FEISHU, SLACK;

        @JsonValue
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Type of(String text) {
            return valueOf(text.toUpperCase(Locale.ROOT));
        }
    }
}
