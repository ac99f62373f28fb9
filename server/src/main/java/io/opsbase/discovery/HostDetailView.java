package io.opsbase.discovery;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.opsbase.cmdb.CiComponent;
import io.opsbase.cmdb.HistoryEntry;
import io.opsbase.protocol.inventory.InstalledPackage;
import tools.jackson.databind.JsonNode;

/**
 * What the host detail page draws beyond the raw inventory: each component joined with its
 * provenance (components discovery saw disappear are kept as removed rows, since the CMDB lists
 * live ones only), the provenance of attribute fields, and the discovered part of the CI's history
 * grouped into one entry per report.
 */
record HostDetailView(List<ComponentRow> components, List<FieldRow> fields, List<Change> changes,
        List<InstalledPackage> packages) {

    static final String SOURCE = "discovery";
    private static final Pattern COMPONENT_FIELD = Pattern.compile("component\\.([a-z]+)\\[(.*)]");

    /** A component; {@code source} null when discovery never saw it (added by hand). */
    record ComponentRow(String kind, String identity, Map<String, Object> attributes, String source,
            Instant lastSeenAt, Instant removedAt) {
    }

    /** A CI attribute discovery fills, with its current value. */
    record FieldRow(String name, Object value, String source, Instant lastSeenAt, Instant removedAt) {
    }

    /** One report's accepted differences. */
    record Change(Instant at, String actor, String reason, List<Line> lines) {
    }

    /**
     * A field's change as display text; null when absent. {@code event} is {@code created} for the
     * CI's creation, {@code added} or {@code removed} for a whole component (its attributes are on
     * the components table), else null.
     */
    record Line(String field, String before, String after, String event) {
    }

    static HostDetailView of(HostDetail detail, Map<String, Object> attributes, List<HistoryEntry> history) {
        Map<String, FieldProvenance> provenance = new HashMap<>();
        detail.provenance().forEach(p -> provenance.put(p.field(), p));
        List<ComponentRow> components = new ArrayList<>();
        Set<String> live = new HashSet<>();
        for (CiComponent c : detail.components()) {
            String field = "component." + c.kind() + "[" + c.identity() + "]";
            live.add(field);
            FieldProvenance p = provenance.get(field);
            components.add(new ComponentRow(c.kind(), c.identity(), c.attributes(), p == null ? null : p.source(),
                    p == null ? null : p.lastSeenAt(), null));
        }
        List<FieldRow> fields = new ArrayList<>();
        for (FieldProvenance p : detail.provenance()) {
            Matcher m = COMPONENT_FIELD.matcher(p.field());
            if (m.matches() && !live.contains(p.field()) && p.removedAt() != null) {
                components.add(new ComponentRow(m.group(1), m.group(2), Map.of(), p.source(), p.lastSeenAt(), p.removedAt()));
            } else if (p.field().startsWith("attributes.")) {
                String name = p.field().substring("attributes.".length());
                fields.add(new FieldRow(name, attributes.get(name), p.source(), p.lastSeenAt(), p.removedAt()));
            }
        }
        components.sort(Comparator.comparing(ComponentRow::kind).thenComparing(r -> r.removedAt() != null)
                .thenComparing(ComponentRow::identity));
        List<InstalledPackage> packages = detail.inventory() == null ? List.of()
                : detail.inventory().packages().stream()
                        .sorted(Comparator.comparing(p -> p.name() == null ? "" : p.name())).toList();
        return new HostDetailView(List.copyOf(components), List.copyOf(fields), changes(history), packages);
    }

    /** Rows written by discovery, newest first, grouped by the report (same time, actor and request). */
    private static List<Change> changes(List<HistoryEntry> history) {
        List<Change> changes = new ArrayList<>();
        HistoryEntry previous = null;
        List<Line> lines = null;
        for (HistoryEntry h : history) {
            if (!SOURCE.equals(h.source())) {
                continue;
            }
            if (previous == null || !h.changedAt().equals(previous.changedAt())
                    || !Objects.equals(h.actor(), previous.actor()) || !Objects.equals(h.requestId(), previous.requestId())) {
                lines = new ArrayList<>();
                changes.add(new Change(h.changedAt(), h.actor(), h.reason(), lines));
            }
            lines.add(line(h));
            previous = h;
        }
        return changes;
    }

    private static Line line(HistoryEntry h) {
        if (h.field().equals("ci")) {
            return new Line(h.field(), null, null, "created");
        }
        if (COMPONENT_FIELD.matcher(h.field()).matches()) {
            return new Line(h.field(), null, null, h.before() == null || h.before().isNull() ? "added" : "removed");
        }
        return new Line(h.field(), text(h.before()), text(h.after()), null);
    }

    private static String text(JsonNode value) {
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
