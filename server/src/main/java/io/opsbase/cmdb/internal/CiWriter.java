package io.opsbase.cmdb.internal;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

import io.opsbase.cmdb.AttributeDefinition;
import io.opsbase.cmdb.AttributeType;
import io.opsbase.cmdb.ChangeContext;
import io.opsbase.cmdb.CiChanged;
import io.opsbase.cmdb.CiClass;
import io.opsbase.cmdb.ConfigurationItem;
import io.opsbase.platform.InvalidInputException.FieldViolation;
import io.opsbase.platform.PreconditionFailedException;
import io.opsbase.platform.RequestIds;

/**
 * The one place a CI document is written. Each write, in the caller's transaction: the cis row
 * (version + 1), ci_values, ci_tags and search_text in sync, one history row per changed field,
 * a {@link GraphChangeLog} row when the name, state or retirement changed (impact analysis keeps
 * those in memory), and a {@link CiChanged} event (→ audit). Callers validate first; a write that changes nothing
 * writes nothing.
 */
@Component
public class CiWriter {

    /** Attribute names whose values free-text search covers, besides every ip and mac value. */
    private static final Set<String> SEARCHED_NAMES = Set.of("hostname", "serial_number", "fqdn", "management_ip",
            "ip_address", "smbios_uuid", "instance_id");

    private final CiRepository cis;
    private final HistoryRepository history;
    private final GraphChangeLog graphChanges;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    CiWriter(CiRepository cis, HistoryRepository history, GraphChangeLog graphChanges, ApplicationEventPublisher events,
            Clock clock) {
        this.cis = cis;
        this.history = history;
        this.graphChanges = graphChanges;
        this.events = events;
        this.clock = clock;
    }

    /** The parts of a CI a write may change. */
    public record Document(String name, String state, String ownerTeam, List<String> tags,
            Map<String, Object> attributes, boolean retired) {

        public static Document of(ConfigurationItem ci) {
            return new Document(ci.name(), ci.state(), ci.ownerTeam(), ci.tags(), ci.attributes(), ci.retired());
        }

        public Document withState(String newState) {
            return new Document(name, newState, ownerTeam, tags, attributes, retired);
        }

        public Document retire() {
            return new Document(name, state, ownerTeam, tags, attributes, true);
        }

        /** The document as its {@code created} history row holds it. */
        public Map<String, Object> asMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", name);
            m.put("state", state);
            m.put("ownerTeam", ownerTeam);
            m.put("tags", tags);
            m.put("attributes", attributes);
            return m;
        }
    }

    public Instant now() {
        // PostgreSQL keeps microseconds: truncate so what we return equals what we read back.
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /** Inserts a new CI (version 1) and returns it as stored, without reading it back. */
    public ConfigurationItem create(CiClass ciClass, Document doc, ChangeContext ctx) {
        Instant now = now();
        long id = cis.insert(ciClass.id(), doc.name(), doc.state(), doc.ownerTeam(), CmdbJson.write(doc.attributes()),
                searchText(ciClass, doc), now);
        cis.insertValues(id, index(ciClass, doc.attributes()));
        cis.insertTags(id, doc.tags());
        history.append(row(id, now, ctx, "created", "ci", null, CmdbJson.write(doc.asMap()), 1));
        events.publishEvent(new CiChanged(id, "ci.created", "created " + ciClass.name() + " " + doc.name(), ctx));
        // Round-trip through JSON so the returned values have the same Java types a read gives.
        return new ConfigurationItem(id, ciClass.name(), doc.name(), doc.state(),
                CmdbJson.readMap(CmdbJson.write(doc.attributes())), doc.ownerTeam(), doc.tags(), now, now, 1, false);
    }

    /**
     * Writes {@code after} over {@code before} when anything differs.
     *
     * @throws PreconditionFailedException when the row changed since {@code before} was read
     * @return whether anything changed
     */
    public boolean write(CiRepository.StoredCi before, CiClass ciClass, Document after, String changeKind, ChangeContext ctx) {
        ConfigurationItem old = before.item();
        List<String[]> diffs = diff(Document.of(old), after);
        if (diffs.isEmpty()) {
            return false;
        }
        Instant now = now();
        int newVersion = old.version() + 1;
        boolean written = cis.update(old.id(), old.version(), after.name(), after.state(), after.ownerTeam(),
                CmdbJson.write(after.attributes()), searchText(ciClass, after), now,
                after.retired() ? (before.retiredAt() != null ? before.retiredAt() : now) : null);
        if (!written) {
            throw new PreconditionFailedException("CI " + old.id() + " was changed concurrently; read it again");
        }
        if (!CmdbJson.same(old.attributes(), after.attributes())) {
            cis.replaceValues(old.id(), index(ciClass, after.attributes()));
        }
        if (!old.tags().equals(after.tags())) {
            cis.replaceTags(old.id(), after.tags());
        }
        if (!old.name().equals(after.name()) || !old.state().equals(after.state()) || old.retired() != after.retired()) {
            graphChanges.ciChanged(old.id(), now); // impact analysis shows these three
        }
        List<String> summary = new ArrayList<>();
        List<HistoryRepository.NewRow> rows = new ArrayList<>(diffs.size());
        for (String[] d : diffs) {
            rows.add(row(old.id(), now, ctx, changeKind, d[0], d[1], d[2], newVersion));
            summary.add(d[0] + " " + Objects.toString(d[1], "∅") + " → " + Objects.toString(d[2], "∅"));
        }
        history.appendAll(rows);
        String text = String.join("; ", summary);
        events.publishEvent(new CiChanged(old.id(), "ci." + changeKind, old.name() + ": "
                + (text.length() > 1000 ? text.substring(0, 1000) + "…" : text), ctx));
        return true;
    }

    /** Unique-within-class and reference targets, for the named attributes only. */
    public List<FieldViolation> checkConstraints(CiClass ciClass, long ciId, Map<String, Object> attributes, Set<String> names) {
        List<FieldViolation> violations = new ArrayList<>();
        for (String name : names) {
            Object value = attributes.get(name);
            AttributeDefinition definition = ciClass.attribute(name).orElse(null);
            if (value == null || definition == null) {
                continue;
            }
            if (definition.type() == AttributeType.REFERENCE && !cis.isLiveOfClass(((Number) value).longValue(), definition.refClass())) {
                violations.add(new FieldViolation("attributes." + name, "no live " + definition.refClass() + " has id " + value));
            }
            if (definition.unique()) {
                cis.holderOf(ciClass.id(), name, indexText(value), ciId).ifPresent(other -> violations.add(
                        new FieldViolation("attributes." + name, "must be unique within " + ciClass.name() + "; CI " + other + " has it")));
            }
        }
        return violations;
    }

    /** Field-level differences as {field, beforeJson, afterJson}. */
    static List<String[]> diff(Document a, Document b) {
        List<String[]> diffs = new ArrayList<>();
        compare(diffs, "name", a.name(), b.name());
        compare(diffs, "state", a.state(), b.state());
        compare(diffs, "ownerTeam", a.ownerTeam(), b.ownerTeam());
        compare(diffs, "tags", a.tags(), b.tags());
        Set<String> names = new LinkedHashSet<>(a.attributes().keySet());
        names.addAll(b.attributes().keySet());
        for (String name : names) {
            compare(diffs, "attributes." + name, a.attributes().get(name), b.attributes().get(name));
        }
        compare(diffs, "retired", a.retired(), b.retired());
        return diffs;
    }

    private static void compare(List<String[]> diffs, String field, Object before, Object after) {
        String b = CmdbJson.write(before);
        String a = CmdbJson.write(after);
        if (!Objects.equals(a, b)) {
            diffs.add(new String[] {field, b, a});
        }
    }

    private HistoryRepository.NewRow row(long ciId, Instant at, ChangeContext ctx, String kind, String field,
            String before, String after, Integer version) {
        return new HistoryRepository.NewRow(ciId, at, ctx.actor(), ctx.source(), ctx.reason(), RequestIds.current(),
                kind, field, before, after, version);
    }

    /**
     * The ci_values rows of a CI (one per attribute: lower-case text, number, instant). The one
     * place that decides how attributes are indexed; {@code CiImportWriter} writes the same rows.
     */
    public static List<CiRepository.IndexedValue> index(CiClass ciClass, Map<String, Object> attributes) {
        List<CiRepository.IndexedValue> values = new ArrayList<>();
        attributes.forEach((name, value) -> {
            AttributeType type = ciClass.attribute(name).map(AttributeDefinition::type).orElse(AttributeType.STRING);
            BigDecimal number = type.numeric() && value instanceof Number n ? new BigDecimal(n.toString()) : null;
            Instant time = type.temporal() && value instanceof String s ? AttributeType.instantOf(type, s) : null;
            values.add(new CiRepository.IndexedValue(name, indexText(value), number, time));
        });
        return values;
    }

    /** The lower-case text form that equality, contains and uniqueness compare. */
    public static String indexText(Object value) {
        String text = value instanceof BigDecimal d ? d.toPlainString() : value.toString();
        text = text.toLowerCase(Locale.ROOT);
        return text.length() > 1000 ? text.substring(0, 1000) : text;
    }

    /**
     * The search_text of a CI: its lower-case name, then its IPs, MACs, serials and host names.
     * The one place that decides what free text finds; {@code CiImportWriter} uses it too.
     */
    public static String searchText(CiClass ciClass, Document doc) {
        StringBuilder sb = new StringBuilder(doc.name().toLowerCase(Locale.ROOT));
        doc.attributes().forEach((name, value) -> {
            AttributeType type = ciClass.attribute(name).map(AttributeDefinition::type).orElse(AttributeType.STRING);
            if (type == AttributeType.IP || type == AttributeType.MAC || SEARCHED_NAMES.contains(name)
                    || name.contains("serial") || name.contains("hostname")) {
                sb.append(' ').append(indexText(value));
            }
        });
        return sb.toString();
    }
}
