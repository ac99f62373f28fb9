package io.opsbase.cmdb;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.opsbase.cmdb.internal.CiRepository;
import io.opsbase.cmdb.internal.CiWriter;
import io.opsbase.cmdb.internal.CiWriter.Document;
import io.opsbase.cmdb.internal.ClassDefinitions;
import io.opsbase.cmdb.internal.ClassRepository;
import io.opsbase.platform.ConflictException;
import io.opsbase.platform.InvalidInputException;
import io.opsbase.platform.InvalidInputException.FieldViolation;
import io.opsbase.platform.NotFoundException;
import io.opsbase.platform.PreconditionFailedException;

/**
 * The CMDB schema: classes, their attributes and lifecycles. Classes are never deleted (CIs and
 * history refer to them). A removed attribute leaves the class and every CI document — each
 * removal a history row, so old values stay readable — while its definition row is kept.
 */
@Service
public class ClassCatalog {

    private final ClassRepository classes;
    private final CiRepository cis;
    private final CiWriter writer;
    private final ApplicationEventPublisher events;

    ClassCatalog(ClassRepository classes, CiRepository cis, CiWriter writer, ApplicationEventPublisher events) {
        this.classes = classes;
        this.cis = cis;
        this.writer = writer;
        this.events = events;
    }

    @Transactional(readOnly = true)
    public List<CiClass> list() {
        return classes.findAll();
    }

    @Transactional(readOnly = true)
    public CiClass get(String name) {
        return classes.findByName(name).orElseThrow(() -> new NotFoundException("Class", name));
    }

    @Transactional
    public CiClass create(NewClass request, ChangeContext ctx) {
        List<FieldViolation> violations = new ArrayList<>();
        if (request.name() == null || !ClassDefinitions.CLASS_NAME.matcher(request.name()).matches()) {
            violations.add(new FieldViolation("name", "must be 1-64 letters, digits or '_', starting with an upper-case letter"));
        }
        String label = label(request.label(), request.name(), violations);
        Lifecycle lifecycle = request.lifecycle() == null ? Lifecycle.standard() : request.lifecycle();
        lifecycle.problems().forEach(p -> violations.add(new FieldViolation("lifecycle", p)));
        List<AttributeDefinition> attributes = new ArrayList<>();
        for (int i = 0; i < request.attributes().size(); i++) {
            var definition = ClassDefinitions.attribute(request.attributes().get(i), "attributes[" + i + "]",
                    ref -> ref.equals(request.name()) || classes.findByName(ref).isPresent(), violations);
            if (definition != null) {
                attributes.add(definition);
            }
        }
        violations.addAll(ClassDefinitions.duplicates(attributes));
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        if (classes.findByName(request.name()).isPresent()) {
            throw new ConflictException("duplicate-class", "A class named " + request.name() + " already exists");
        }
        long id = classes.insert(request.name(), label, request.description(), request.hardware(), lifecycle, writer.now());
        for (int i = 0; i < attributes.size(); i++) {
            classes.insertAttribute(id, attributes.get(i), i);
        }
        events.publishEvent(new CiClassChanged(request.name(), "ci-class.created", "created class " + request.name()
                + " with " + attributes.size() + " attributes", ctx));
        return get(request.name());
    }

    /**
     * Replaces label, description and/or lifecycle (null: unchanged). States that CIs are in must
     * stay in the lifecycle (409 {@code state-in-use}).
     */
    @Transactional
    public CiClass update(String name, String label, String description, Lifecycle lifecycle, Integer expectedVersion,
            ChangeContext ctx) {
        CiClass current = lockClass(name);
        if (expectedVersion != null && expectedVersion != current.version()) {
            throw new PreconditionFailedException("Class " + name + " is at version " + current.version() + ", not " + expectedVersion);
        }
        List<FieldViolation> violations = new ArrayList<>();
        String newLabel = label == null ? current.label() : label(label, name, violations);
        if (lifecycle != null) {
            lifecycle.problems().forEach(p -> violations.add(new FieldViolation("lifecycle", p)));
        }
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        if (lifecycle != null) {
            List<String> orphaned = classes.statesInUse(current.id()).stream().filter(s -> !lifecycle.hasState(s)).toList();
            if (!orphaned.isEmpty()) {
                throw new ConflictException("state-in-use", "CIs of class " + name + " are in states the new lifecycle drops: "
                        + String.join(", ", orphaned), Map.of("states", orphaned));
            }
        }
        classes.update(current.id(), newLabel, description == null ? current.description() : description,
                lifecycle == null ? current.lifecycle() : lifecycle, writer.now());
        events.publishEvent(new CiClassChanged(name, "ci-class.updated", "updated class " + name
                + (lifecycle == null ? "" : " (lifecycle: " + String.join(", ", lifecycle.states()) + ")"), ctx));
        return get(name);
    }

    /**
     * Adds an attribute to a class, in use or not. A required attribute added to a class that has
     * live CIs needs a default, which every live CI then receives (recorded in its history).
     */
    @Transactional
    public CiClass addAttribute(String className, NewAttribute request, ChangeContext ctx) {
        CiClass current = lockClass(className);
        List<FieldViolation> violations = new ArrayList<>();
        AttributeDefinition definition = ClassDefinitions.attribute(request, "attribute",
                ref -> classes.findByName(ref).isPresent(), violations);
        if (definition != null && current.attribute(definition.name()).isPresent()) {
            violations.add(new FieldViolation("attribute.name", "class " + className + " already has " + definition.name()));
        }
        List<Long> live = cis.liveIdsOfClass(current.id());
        if (definition != null && definition.required() && definition.defaultValue() == null && !live.isEmpty()) {
            violations.add(new FieldViolation("attribute.defaultValue",
                    "a required attribute added to a class with " + live.size() + " CIs needs a default for them"));
        }
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        classes.insertAttribute(current.id(), definition, classes.nextPosition(current.id()));
        classes.touch(current.id(), writer.now());
        CiClass updated = get(className);
        if (definition.required()) {
            ChangeContext backfill = ctx.withReason("required attribute " + definition.name() + " added to class " + className);
            for (long id : live) {
                var before = cis.findForUpdate(id).orElseThrow();
                Map<String, Object> attributes = new LinkedHashMap<>(before.item().attributes());
                attributes.put(definition.name(), definition.defaultValue());
                writer.write(before, updated, withAttributes(before.item(), attributes), "updated", backfill);
            }
        }
        events.publishEvent(new CiClassChanged(className, "ci-class.attribute-added", "added " + definition.type().key()
                + " attribute " + definition.name() + " to " + className, ctx));
        return updated;
    }

    /** Removes an attribute: gone from the class and from every CI, each removed value kept in history. */
    @Transactional
    public CiClass removeAttribute(String className, String attribute, ChangeContext ctx) {
        CiClass current = lockClass(className);
        if (current.attribute(attribute).isEmpty()) {
            throw new NotFoundException("Attribute " + className + ".", attribute);
        }
        classes.removeAttribute(current.id(), attribute, writer.now());
        classes.touch(current.id(), writer.now());
        CiClass updated = get(className);
        ChangeContext removal = ctx.withReason("attribute " + attribute + " removed from class " + className);
        for (long id : cis.idsWithValue(current.id(), attribute)) {
            var before = cis.findForUpdate(id).orElseThrow();
            Map<String, Object> attributes = new LinkedHashMap<>(before.item().attributes());
            attributes.remove(attribute);
            writer.write(before, updated, withAttributes(before.item(), attributes), "updated", removal);
        }
        events.publishEvent(new CiClassChanged(className, "ci-class.attribute-removed", "removed attribute " + attribute
                + " from " + className, ctx));
        return updated;
    }

    private CiClass lockClass(String name) {
        CiClass current = get(name);
        classes.lock(current.id());
        return get(name);
    }

    private static Document withAttributes(ConfigurationItem ci, Map<String, Object> attributes) {
        return new Document(ci.name(), ci.state(), ci.ownerTeam(), ci.tags(), attributes, ci.retired());
    }

    private static String label(String label, String name, List<FieldViolation> violations) {
        if (label == null || label.isBlank()) {
            return name;
        }
        if (label.length() > 200) {
            violations.add(new FieldViolation("label", "must be at most 200 characters"));
        }
        return label.strip();
    }
}
