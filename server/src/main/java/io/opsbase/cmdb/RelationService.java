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
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.opsbase.platform.ConflictException;
import io.opsbase.platform.InvalidInputException;
import io.opsbase.platform.NotFoundException;
import io.opsbase.platform.RequestIds;

/**
 * The CMDB's face for typed relations between CIs. Every added or removed relation is written to
 * the history of both CIs (field {@code relation.<type>-><target id>} on the source,
 * {@code relation.<type><-<source id>} on the target) and published as {@link RelationChanged},
 * all in one transaction.
 */
@Service
public class RelationService {

    private final RelationRepository relations;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    RelationService(RelationRepository relations, ApplicationEventPublisher events, Clock clock) {
        this.relations = relations;
        this.events = events;
        this.clock = clock;
    }

    @Transactional(readOnly = true)
    public List<RelationType> types() {
        return relations.types();
    }

    /**
     * Relates {@code sourceId} to {@code targetId}. {@code source} is the change source written to
     * history ({@code api}, {@code ui}, {@code import}, …); the actor is the authenticated caller,
     * or {@code actor} when given (the system, an agent).
     */
    @Transactional
    public Relation add(long sourceId, String type, Long targetId, String source, String actor) {
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
        Instant at = now();
        String who = actor != null ? actor : currentActor();
        long id;
        try {
            id = relations.insert(type, sourceId, targetId, at, who);
        } catch (DuplicateKeyException e) {
            throw duplicate(type, sourceId, targetId);
        }
        String json = relationJson(id, type, sourceId, targetId);
        relations.recordHistory(sourceId, at, who, source, RequestIds.current(), outgoingField(type, targetId), null, json);
        relations.recordHistory(targetId, at, who, source, RequestIds.current(), incomingField(type, sourceId), null, json);
        events.publishEvent(new RelationChanged("relation.added", id, type, sourceId, targetId, who, source));
        return new Relation(id, type, "outgoing", relationType.label(), sourceId, targetId, to.end(), at, who);
    }

    /** Removes relation {@code relationId}, which must have {@code ciId} at one of its ends. */
    @Transactional
    public void remove(long ciId, long relationId, String source, String actor) {
        var stored = relations.find(relationId)
                .filter(r -> r.sourceId() == ciId || r.targetId() == ciId)
                .orElseThrow(() -> new NotFoundException("Relation", relationId));
        relations.lockCi(Math.min(stored.sourceId(), stored.targetId()));
        relations.lockCi(Math.max(stored.sourceId(), stored.targetId()));
        Instant at = now();
        String who = actor != null ? actor : currentActor();
        String json = relationJson(stored.id(), stored.type(), stored.sourceId(), stored.targetId());
        relations.delete(relationId);
        relations.recordHistory(stored.sourceId(), at, who, source, RequestIds.current(),
                outgoingField(stored.type(), stored.targetId()), json, null);
        relations.recordHistory(stored.targetId(), at, who, source, RequestIds.current(),
                incomingField(stored.type(), stored.sourceId()), json, null);
        events.publishEvent(new RelationChanged("relation.removed", stored.id(), stored.type(), stored.sourceId(),
                stored.targetId(), who, source));
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

    private static String relationJson(long id, String type, long sourceId, long targetId) {
        return "{\"id\":" + id + ",\"type\":\"" + type + "\",\"source\":" + sourceId + ",\"target\":" + targetId + "}";
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    static String currentActor() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        return auth != null && auth.isAuthenticated() && auth.getName() != null ? auth.getName() : "system";
    }
}
