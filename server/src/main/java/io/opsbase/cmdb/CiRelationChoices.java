package io.opsbase.cmdb;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The relations a CI's page offers to add: each relation type in each direction whose class-pair
 * rules let this CI's class stand at that end, and — for a chosen one — the classes the other end
 * may have. This only narrows what the form shows; {@link RelationService#add} still enforces the
 * rules on every request.
 */
final class CiRelationChoices {

    static final String OUTGOING = "outgoing";
    static final String INCOMING = "incoming";

    private CiRelationChoices() {
    }

    /**
     * One entry of the relation select. {@code value} is {@code <direction>:<type>}; {@code label}
     * is the type's own label from this CI's side, used when no translation exists.
     */
    record Choice(String value, String type, String direction, String label) {
    }

    /** A relation kind as the form posts it, parsed; null when the text is not one. */
    record Kind(String direction, String type) {

        static Kind parse(String value) {
            if (value == null) {
                return null;
            }
            int colon = value.indexOf(':');
            if (colon < 0) {
                return null;
            }
            String direction = value.substring(0, colon);
            if (!direction.equals(OUTGOING) && !direction.equals(INCOMING)) {
                return null;
            }
            return new Kind(direction, value.substring(colon + 1));
        }

        boolean outgoing() {
            return direction.equals(OUTGOING);
        }
    }

    static List<Choice> forClass(String className, List<RelationType> types) {
        List<Choice> choices = new ArrayList<>();
        for (String direction : List.of(OUTGOING, INCOMING)) {
            for (RelationType type : types) {
                if (!otherEnds(className, type, direction.equals(OUTGOING)).isEmpty()) {
                    choices.add(new Choice(direction + ":" + type.name(), type.name(), direction,
                            direction.equals(OUTGOING) ? type.label() : type.inverseLabel()));
                }
            }
        }
        return choices;
    }

    /**
     * The classes the other CI may have when this CI ({@code className}) is the source
     * ({@code outgoing}) or the target; {@code *} means any class.
     */
    static Set<String> otherEnds(String className, RelationType type, boolean outgoing) {
        Set<String> classes = new LinkedHashSet<>();
        for (RelationType.RelationRule rule : type.rules()) {
            String here = outgoing ? rule.sourceClass() : rule.targetClass();
            String there = outgoing ? rule.targetClass() : rule.sourceClass();
            if (here.equals("*") || here.equals(className)) {
                classes.add(there);
            }
        }
        return classes.contains("*") ? Set.of("*") : classes;
    }

    /** Relations grouped for the page: outgoing before incoming, by type within each. */
    record Group(String type, String direction, String label, List<Relation> relations) {
    }

    static List<Group> group(List<Relation> relations) {
        List<Group> groups = new ArrayList<>();
        relations.stream()
                .sorted(Comparator.comparing((Relation r) -> r.direction().equals(OUTGOING) ? 0 : 1)
                        .thenComparing(Relation::type).thenComparing(r -> r.ci().name()))
                .forEach(r -> {
                    Group last = groups.isEmpty() ? null : groups.getLast();
                    if (last == null || !last.type().equals(r.type()) || !last.direction().equals(r.direction())) {
                        groups.add(new Group(r.type(), r.direction(), r.label(), new ArrayList<>()));
                    }
                    groups.getLast().relations().add(r);
                });
        return groups;
    }
}
