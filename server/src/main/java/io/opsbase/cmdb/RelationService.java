package io.opsbase.cmdb;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.opsbase.platform.ConflictException;
import io.opsbase.platform.InvalidInputException;
import io.opsbase.platform.NotFoundException;

/**
 * The CMDB's face for typed relations between CIs. Every added or removed relation is written to
 * the history of both CIs (field {@code relation.<type>-><target id>} on the source,
 * {@code relation.<type><-<source id>} on the target) and published as {@link RelationChanged},
 * all in one transaction.
 */
@Service
public class RelationService {

    private final RelationRepository relations;
    private final CiHistory history;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    RelationService(RelationRepository relations, CiHistory history, ApplicationEventPublisher events, Clock clock) {
        this.relations = relations;
        this.history = history;
        this.events = events;
        this.clock = clock;
    }

    @Transactional(readOnly = true)
    public List<RelationType> types() {
        return relations.types();
    }

    /** Relates {@code sourceId} to {@code targetId}; {@code ctx} says who and through which channel. */
    @Transactional
    public Relation add(long sourceId, String type, Long targetId, ChangeContext ctx) {
        if (type == null || type.isBlank()) {
            throw new InvalidInputException("type", "is required");
        }
        if (targetId == null) {
            throw new InvalidInputException("target", "is required: the id of the related CI");
        }
        RelationType relationType = typesByName().get(type);
        if (relationType == null) {
            throw new InvalidInputException("type", "unknown relation type; one of " + typesByName().keySet());
        }
        if (targetId == sourceId) {
            throw new InvalidInputException("target", "a CI cannot be related to itself");
        }
        // Lock both ends in id order: concurrent changes on the same pair serialise without deadlock.
        relations.lockCi(Math.min(sourceId, targetId));
        relations.lockCi(Math.max(sourceId, targetId));
        var from = liveCi(sourceId);
        var to = liveCi(targetId);
        if (!relationType.allows(from.className(), to.className())) {
            throw new InvalidInputException("type", type + " does not allow " + from.className() + " -> "
                    + to.className() + "; allowed: " + relationType.rules().stream()
                            .map(r -> r.sourceClass() + " -> " + r.targetClass()).toList());
        }
        if (relations.exists(type, sourceId, targetId)) {
            throw duplicate(type, sourceId, targetId);
        }
        Instant at = clock.instant().truncatedTo(ChronoUnit.MICROS);
        long id;
        try {
            id = relations.insert(type, sourceId, targetId, at, ctx.actor());
        } catch (DuplicateKeyException e) {
            throw duplicate(type, sourceId, targetId);
        }
        var value = new RelationValue(id, type, sourceId, targetId);
        history.record(sourceId, "relation", outgoingField(type, targetId), null, value, ctx);
        history.record(targetId, "relation", incomingField(type, sourceId), null, value, ctx);
        events.publishEvent(new RelationChanged("relation.added", id, type, sourceId, targetId, ctx));
        return new Relation(id, type, "outgoing", relationType.label(), sourceId, targetId, to.end(), at, ctx.actor());
    }

    /** Removes relation {@code relationId}, which must have {@code ciId} at one of its ends. */
    @Transactional
    public void remove(long ciId, long relationId, ChangeContext ctx) {
        var stored = relations.find(relationId)
                .filter(r -> r.sourceId() == ciId || r.targetId() == ciId)
                .orElseThrow(() -> new NotFoundException("Relation", relationId));
        relations.lockCi(Math.min(stored.sourceId(), stored.targetId()));
        relations.lockCi(Math.max(stored.sourceId(), stored.targetId()));
        var value = new RelationValue(stored.id(), stored.type(), stored.sourceId(), stored.targetId());
        relations.delete(stored, clock.instant().truncatedTo(ChronoUnit.MICROS));
        history.record(stored.sourceId(), "relation", outgoingField(stored.type(), stored.targetId()), value, null, ctx);
        history.record(stored.targetId(), "relation", incomingField(stored.type(), stored.sourceId()), value, null, ctx);
        events.publishEvent(new RelationChanged("relation.removed", stored.id(), stored.type(), stored.sourceId(),
                stored.targetId(), ctx));
    }

    /** Every relation of the CI, outgoing then incoming. */
    @Transactional(readOnly = true)
    public List<Relation> relationsOf(long ciId) {
        relations.findCi(ciId).orElseThrow(() -> new NotFoundException("CI", ciId));
        return relations.relationsOf(ciId, typesByName());
    }

    static String outgoingField(String type, long targetId) {
        return "relation." + type + "->" + targetId;
    }

    static String incomingField(String type, long sourceId) {
        return "relation." + type + "<-" + sourceId;
    }

    private RelationRepository.RelationCi liveCi(long id) {
        var ci = relations.findCi(id).orElseThrow(() -> new NotFoundException("CI", id));
        if (ci.retired()) {
            throw new ConflictException("ci-retired", "CI " + id + " is retired and cannot take new relations");
        }
        return ci;
    }

    private Map<String, RelationType> typesByName() {
        return relations.types().stream().collect(Collectors.toMap(RelationType::name, Function.identity(),
                (a, b) -> a, java.util.LinkedHashMap::new));
    }

    private static ConflictException duplicate(String type, long sourceId, long targetId) {
        return new ConflictException("relation-exists", "CI " + sourceId + " already " + type + " CI " + targetId,
                Map.of("relationType", type, "sourceId", sourceId, "targetId", targetId));
    }

    /** The before/after value of a relation history row. */
    record RelationValue(long id, String type, long source, long target) {
    }
}
