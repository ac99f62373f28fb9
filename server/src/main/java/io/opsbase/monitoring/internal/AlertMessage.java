package io.opsbase.monitoring.internal;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

import io.opsbase.monitoring.Alert;

/**
 * One message about some alerts, in the forms the channel types need: a subject, a plain/markdown
 * text, and the structured alerts for the webhook's JSON.
 */
record AlertMessage(String kind, List<Item> items, Instant sentAt) {

    /** An alert as told: with its CI's name and the rule's condition. */
    record Item(Alert alert, String ciName, String expression) {
    }

    String subject() {
        if (kind.equals("test")) {
            return "[Opsbase] Test message";
        }
        String state = kind.equals("resolved") ? "RESOLVED" : "FIRING";
        if (items.size() == 1) {
            Item i = items.getFirst();
            return "[" + state + "] " + i.alert().severity().key().toUpperCase(Locale.ROOT) + ": " + i.alert().rule() + " on " + i.ciName();
        }
        return "[" + state + "] " + items.size() + " alerts";
    }

    /** Markdown that also reads as plain text (DingTalk, WeCom, Slack, Feishu text, e-mail). */
    String text() {
        StringBuilder s = new StringBuilder("**").append(subject()).append("**\n");
        if (kind.equals("test")) {
            return s.append("\nThis channel works: Opsbase can reach it.\n").toString();
        }
        if (kind.equals("repeat")) {
            s.append("\nStill firing and not acknowledged.\n");
        }
        for (Item i : items) {
            Alert a = i.alert();
            s.append("\n- ").append(a.severity().key()).append(" · ").append(a.rule()).append(" · ").append(i.ciName())
                    .append(" (CI ").append(a.ciId()).append(")\n");
            s.append("  ").append(i.expression());
            if (a.noData()) {
                s.append(" — no data");
            } else if (a.value() != null) {
                s.append(" — value ").append(a.value());
            }
            s.append('\n');
            if (a.firedAt() != null) {
                s.append("  firing since ").append(a.firedAt());
            }
            if (a.resolvedAt() != null) {
                s.append(", resolved at ").append(a.resolvedAt());
            }
            s.append('\n');
        }
        return s.toString();
    }
}
