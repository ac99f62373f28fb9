package io.opsbase.cmdb;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.opsbase.cmdb.internal.CiRepository;
import io.opsbase.cmdb.internal.CiRepository.StoredCi;
import io.opsbase.cmdb.internal.CiWriter;
import io.opsbase.cmdb.internal.ClassRepository;
import io.opsbase.cmdb.internal.CmdbJson;
import io.opsbase.cmdb.internal.ComponentRepository;
import io.opsbase.cmdb.internal.HistoryRepository;
import io.opsbase.platform.ConflictException;
import io.opsbase.platform.InvalidInputException;
import io.opsbase.platform.InvalidInputException.FieldViolation;
import io.opsbase.platform.NotFoundException;
import io.opsbase.platform.RequestIds;

/**
 * Components of hardware CIs. Every addition, removal and attribute change is a history row
 * ({@code component.<kind>[<identity>]} or {@code component.<kind>[<identity>].<attribute>}) and
 * each call publishes one {@link CiChanged}. Discovery calls {@link #replace} with what an agent
 * found; people use {@link #add}, {@link #update} and {@link #remove}.
 */
@Service
public class CiComponents {

    public static final Set<String> KINDS = Set.of("cpu", "memory", "disk", "nic", "raid", "psu", "gpu", "other");
    /** Compiled once: {@code String.matches} compiled it for every attribute of every component written. */
    private static final java.util.regex.Pattern ATTRIBUTE_NAME = java.util.regex.Pattern.compile("[a-z][a-z0-9_]{0,63}");

    private final ComponentRepository components;
    private final CiRepository cis;
    private final ClassRepository classes;
    private final HistoryRepository history;
    private final CiWriter writer;
    private final ApplicationEventPublisher events;

    CiComponents(ComponentRepository components, CiRepository cis, ClassRepository classes, HistoryRepository history,
            CiWriter writer, ApplicationEventPublisher events) {
        this.components = components;
        this.cis = cis;
        this.classes = classes;
        this.history = history;
        this.writer = writer;
        this.events = events;
    }

    /** Live components, by kind and identity; {@code kind} null for all. */
    @Transactional(readOnly = true)
    public List<CiComponent> list(long ciId, String kind) {
        cis.find(ciId).orElseThrow(() -> new NotFoundException("CI", ciId));
        return components.findLive(ciId, kind);
    }

    /**
     * Makes the CI's components of {@code kind} exactly {@code desired}, matched by identity:
     * new identities are added, missing ones removed, and changed attributes updated.
     */
    @Transactional
    public ComponentDiff replace(long ciId, String kind, List<ComponentSpec> desired, ChangeContext ctx) {
        StoredCi ci = hardwareCi(ciId);
        List<FieldViolation> violations = new ArrayList<>();
        checkKind(kind, "kind", violations);
        Set<String> identities = new HashSet<>();
        for (int i = 0; i < desired.size(); i++) {
            ComponentSpec spec = desired.get(i);
            if (spec.kind() != null && !spec.kind().equals(kind)) {
                violations.add(new FieldViolation("[" + i + "].kind", "must be " + kind));
            }
            checkSpec(spec, "[" + i + "]", violations);
            if (spec.identity() != null && !identities.add(spec.identity())) {
                violations.add(new FieldViolation("[" + i + "].identity", "appears twice"));
            }
        }
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        Map<String, CiComponent> current = new LinkedHashMap<>();
        components.findLive(ciId, kind).forEach(c -> current.put(c.identity(), c));
        List<String> added = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        // New components and all history rows go out as two JDBC batches, not two statements each.
        List<Map.Entry<String, Map<String, Object>>> inserts = new ArrayList<>();
        List<HistoryRepository.NewRow> rows = new ArrayList<>();
        for (ComponentSpec spec : desired) {
            CiComponent existing = current.remove(spec.identity());
            if (existing == null) {
                inserts.add(Map.entry(spec.identity(), spec.attributes()));
                rows.add(row(ciId, field(kind, spec.identity()), null, spec.attributes(), ctx));
                added.add(spec.identity());
            } else if (change(existing, spec.attributes(), ctx, rows)) {
                changed.add(spec.identity());
            }
        }
        components.insertAll(ciId, kind, inserts, writer.now());
        for (CiComponent gone : current.values()) {
            components.markRemoved(gone.id(), writer.now());
            rows.add(row(gone.ciId(), field(gone.kind(), gone.identity()), gone.attributes(), null, ctx));
        }
        history.appendAll(rows);
        var diff = new ComponentDiff(added, List.copyOf(current.keySet()), changed);
        if (!diff.isEmpty()) {
            events.publishEvent(new CiChanged(ciId, "ci.component", ci.item().name() + ": " + kind + " added "
                    + added + ", removed " + diff.removed() + ", changed " + changed, ctx));
        }
        return diff;
    }

    @Transactional
    public CiComponent add(long ciId, ComponentSpec spec, ChangeContext ctx) {
        StoredCi ci = hardwareCi(ciId);
        List<FieldViolation> violations = new ArrayList<>();
        checkKind(spec.kind(), "kind", violations);
        checkSpec(spec, "", violations);
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        if (components.findLive(ciId, spec.kind()).stream().anyMatch(c -> c.identity().equals(spec.identity()))) {
            throw new ConflictException("duplicate-component", "CI " + ciId + " already has a " + spec.kind() + " " + spec.identity());
        }
        long id = insert(ciId, spec.kind(), spec, ctx);
        events.publishEvent(new CiChanged(ciId, "ci.component", ci.item().name() + ": added " + spec.kind() + " " + spec.identity(), ctx));
        return components.findLive(ciId, id).orElseThrow();
    }

    /** Merge-patches the component's attributes (a null value removes one). */
    @Transactional
    public CiComponent update(long ciId, long componentId, Map<String, Object> attributePatch, ChangeContext ctx) {
        StoredCi ci = hardwareCi(ciId);
        CiComponent existing = components.findLive(ciId, componentId).orElseThrow(() -> new NotFoundException("Component", componentId));
        Map<String, Object> merged = new LinkedHashMap<>(existing.attributes());
        attributePatch.forEach((k, v) -> {
            if (v == null) {
                merged.remove(k);
            } else {
                merged.put(k, v);
            }
        });
        List<FieldViolation> violations = new ArrayList<>();
        checkAttributes(merged, "attributes", violations);
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        if (change(existing, merged, ctx)) {
            events.publishEvent(new CiChanged(ciId, "ci.component", ci.item().name() + ": changed " + existing.kind() + " "
                    + existing.identity(), ctx));
        }
        return components.findLive(ciId, componentId).orElseThrow();
    }

    @Transactional
    public void remove(long ciId, long componentId, ChangeContext ctx) {
        StoredCi ci = hardwareCi(ciId);
        CiComponent existing = components.findLive(ciId, componentId).orElseThrow(() -> new NotFoundException("Component", componentId));
        delete(existing, ctx);
        events.publishEvent(new CiChanged(ciId, "ci.component", ci.item().name() + ": removed " + existing.kind() + " "
                + existing.identity(), ctx));
    }

    private long insert(long ciId, String kind, ComponentSpec spec, ChangeContext ctx) {
        long id = components.insert(ciId, kind, spec.identity(), spec.attributes(), writer.now());
        record(ciId, field(kind, spec.identity()), null, spec.attributes(), ctx);
        return id;
    }

    private void delete(CiComponent c, ChangeContext ctx) {
        components.markRemoved(c.id(), writer.now());
        record(c.ciId(), field(c.kind(), c.identity()), c.attributes(), null, ctx);
    }

    /** Writes the new attributes when they differ, one history row per changed attribute. */
    private boolean change(CiComponent c, Map<String, Object> attributes, ChangeContext ctx) {
        List<HistoryRepository.NewRow> rows = new ArrayList<>();
        boolean changed = change(c, attributes, ctx, rows);
        history.appendAll(rows);
        return changed;
    }

    /** As {@link #change(CiComponent, Map, ChangeContext)}, adding the history rows to {@code rows} for the caller to write. */
    private boolean change(CiComponent c, Map<String, Object> attributes, ChangeContext ctx, List<HistoryRepository.NewRow> rows) {
        Set<String> names = new LinkedHashSet<>(c.attributes().keySet());
        names.addAll(attributes.keySet());
        boolean changed = false;
        for (String name : names) {
            Object before = c.attributes().get(name);
            Object after = attributes.get(name);
            // Equal values write equal JSON; only unequal ones (an Integer against a Long) need the JSON compared.
            if (!Objects.equals(before, after) && !Objects.equals(CmdbJson.write(before), CmdbJson.write(after))) {
                rows.add(row(c.ciId(), field(c.kind(), c.identity()) + "." + name, before, after, ctx));
                changed = true;
            }
        }
        if (changed) {
            components.updateAttributes(c.id(), attributes, writer.now());
        }
        return changed;
    }

    private void record(long ciId, String field, Object before, Object after, ChangeContext ctx) {
        history.append(row(ciId, field, before, after, ctx));
    }

    private HistoryRepository.NewRow row(long ciId, String field, Object before, Object after, ChangeContext ctx) {
        return new HistoryRepository.NewRow(ciId, writer.now(), ctx.actor(), ctx.source(), ctx.reason(),
                RequestIds.current(), "component", field, CmdbJson.write(before), CmdbJson.write(after), null);
    }

    private static String field(String kind, String identity) {
        return "component." + kind + "[" + identity + "]";
    }

    private StoredCi hardwareCi(long ciId) {
        StoredCi ci = cis.findForUpdate(ciId).orElseThrow(() -> new NotFoundException("CI", ciId));
        if (ci.retiredAt() != null) {
            throw new ConflictException("ci-retired", "CI " + ciId + " is retired and accepts no changes");
        }
        if (!classes.findById(ci.classId()).orElseThrow().hardware()) {
            throw new ConflictException("not-hardware", "CI " + ciId + " is a " + ci.item().className()
                    + ", which is not a hardware class and has no components");
        }
        return ci;
    }

    private static void checkKind(String kind, String field, List<FieldViolation> violations) {
        if (kind == null || !KINDS.contains(kind)) {
            violations.add(new FieldViolation(field, "must be one of cpu, memory, disk, nic, raid, psu, gpu, other"));
        }
    }

    private static void checkSpec(ComponentSpec spec, String prefix, List<FieldViolation> violations) {
        String p = prefix.isEmpty() ? "" : prefix + ".";
        if (spec.identity() == null || spec.identity().isBlank() || spec.identity().length() > 200) {
            violations.add(new FieldViolation(p + "identity", "is required: the serial, slot or MAC, at most 200 characters"));
        }
        checkAttributes(spec.attributes(), p + "attributes", violations);
    }

    private static void checkAttributes(Map<String, Object> attributes, String prefix, List<FieldViolation> violations) {
        attributes.forEach((name, value) -> {
            if (!ATTRIBUTE_NAME.matcher(name).matches()) {
                violations.add(new FieldViolation(prefix + "." + name, "names are lower-case letters, digits or '_'"));
            } else if (!(value instanceof String || value instanceof Number || value instanceof Boolean)) {
                violations.add(new FieldViolation(prefix + "." + name, "must be a string, number or boolean"));
            } else if (value instanceof String s && s.length() > 1000) {
                violations.add(new FieldViolation(prefix + "." + name, "must be at most 1000 characters"));
            }
        });
    }
}
