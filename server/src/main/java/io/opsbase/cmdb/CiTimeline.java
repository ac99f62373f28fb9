package io.opsbase.cmdb;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import tools.jackson.databind.JsonNode;

/**
 * A CI's history as the detail page draws it: consecutive rows written by one change (same time,
 * actor, source and request) form one entry, with a line per field.
 */
record CiTimeline(List<Entry> entries) {

    record Entry(Instant at, String actor, String source, String reason, String changeKind, List<Line> lines) {
    }

    /** One field's change; {@code before}/{@code after} are display text, null when absent. */
    record Line(String field, String before, String after) {

        /**
         * The relation a relation row names ({@code relation.<type>-><id>} on the source,
         * {@code relation.<type><-<id>} on the target, as {@link RelationService} writes them), or
         * null for any other field.
         */
        public RelationLine relation() {
            if (!field.startsWith("relation.")) {
                return null;
            }
            String rest = field.substring("relation.".length());
            int out = rest.indexOf("->");
            int in = rest.indexOf("<-");
            int at = out >= 0 ? out : in;
            if (at <= 0) {
                return null;
            }
            try {
                return new RelationLine(rest.substring(0, at), out >= 0 ? "outgoing" : "incoming",
                        Long.parseLong(rest.substring(at + 2)), before == null);
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }

    /** A relation added or removed, seen from this CI; {@code otherId} is the CI at the other end. */
    record RelationLine(String type, String direction, long otherId, boolean added) {
    }

    static CiTimeline of(List<HistoryEntry> history) {
        List<Entry> entries = new ArrayList<>();
        HistoryEntry previous = null;
        List<Line> lines = null;
        for (HistoryEntry h : history) {
            if (previous == null || !sameChange(previous, h)) {
                lines = new ArrayList<>();
                entries.add(new Entry(h.changedAt(), h.actor(), h.source(), h.reason(), h.changeKind(), lines));
            }
            // The creation row holds the whole document; the entry's kind already says "created".
            if (!h.field().equals("ci")) {
                lines.add(new Line(h.field(), text(h.before()), text(h.after())));
            }
            previous = h;
        }
        return new CiTimeline(List.copyOf(entries));
    }

    private static boolean sameChange(HistoryEntry a, HistoryEntry b) {
        return a.changedAt().equals(b.changedAt()) && Objects.equals(a.actor(), b.actor())
                && Objects.equals(a.source(), b.source()) && Objects.equals(a.requestId(), b.requestId())
                && Objects.equals(a.changeKind(), b.changeKind());
    }

    static String text(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isString()) {
            return value.asString();
        }
        if (value.isArray()) {
            return String.join(", ", value.valueStream().map(v -> v.isString() ? v.asString() : v.toString()).toList());
        }
        return value.toString();
    }
}
