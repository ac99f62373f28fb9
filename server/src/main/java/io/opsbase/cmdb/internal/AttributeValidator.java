package io.opsbase.cmdb.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import io.opsbase.cmdb.AttributeDefinition;
import io.opsbase.cmdb.AttributeType;
import io.opsbase.cmdb.CiClass;
import io.opsbase.platform.InvalidInputException.FieldViolation;

/**
 * Checks attribute values against a class: known names, types, enum members, patterns, required
 * and defaults. Pure — uniqueness and reference targets need the database and are checked by the
 * caller on the normalised result. Every problem is reported, one entry per field
 * ({@code attributes.<name>}), so a client can fix a form in one round trip.
 */
public final class AttributeValidator {

    private AttributeValidator() {
    }

    /** The attributes after the change, in class order, and everything wrong with them. */
    public record Result(Map<String, Object> attributes, List<FieldViolation> violations) {
    }

    /**
     * @param current  the CI's current (normalised) values; empty for a new CI
     * @param changes  new values by name; a null value removes the attribute (JSON merge patch)
     * @param creating whether defaults apply to attributes left out
     */
    public static Result apply(CiClass ciClass, Map<String, Object> current, Map<String, Object> changes, boolean creating) {
        List<FieldViolation> violations = new ArrayList<>();
        Map<String, Object> merged = new LinkedHashMap<>();
        current.forEach((name, value) -> {
            // Values of attributes the class no longer has are dropped (their history stays).
            if (ciClass.attribute(name).isPresent()) {
                merged.put(name, value);
            }
        });
        changes.forEach((name, raw) -> {
            var definition = ciClass.attribute(name);
            String field = "attributes." + name;
            if (definition.isEmpty()) {
                violations.add(new FieldViolation(field, "is not an attribute of class " + ciClass.name()));
            } else if (raw == null) {
                merged.remove(name);
            } else {
                try {
                    merged.put(name, normalize(definition.get(), raw));
                } catch (IllegalArgumentException e) {
                    violations.add(new FieldViolation(field, e.getMessage()));
                }
            }
        });
        Map<String, Object> ordered = new LinkedHashMap<>();
        for (AttributeDefinition definition : ciClass.attributes()) {
            Object value = merged.get(definition.name());
            boolean rejected = violations.stream().anyMatch(v -> v.field().equals("attributes." + definition.name()));
            if (value == null && creating && definition.defaultValue() != null && !changes.containsKey(definition.name())) {
                value = definition.defaultValue();
            }
            if (value != null) {
                ordered.put(definition.name(), value);
            } else if (definition.required() && !rejected) {
                violations.add(new FieldViolation("attributes." + definition.name(), "is required"));
            }
        }
        return new Result(ordered, violations);
    }

    /** One value: type, enum membership and pattern. */
    public static Object normalize(AttributeDefinition definition, Object raw) {
        Object value = definition.type().normalize(raw);
        if (definition.type() == AttributeType.ENUM && !definition.enumValues().contains(value)) {
            throw new IllegalArgumentException("must be one of " + String.join(", ", definition.enumValues()));
        }
        if (definition.pattern() != null && value instanceof String s && !compile(definition.pattern()).matcher(s).matches()) {
            throw new IllegalArgumentException("must match the pattern " + definition.pattern());
        }
        if (definition.type() == AttributeType.REFERENCE && (Long) value <= 0) {
            throw new IllegalArgumentException("must be the id of a " + definition.refClass());
        }
        return value;
    }

    /**
     * Compiles a class pattern once; callers validated it when the attribute was defined. The
     * cache is bounded by the number of patterns admins define, so it is never evicted.
     */
    public static Pattern compile(String pattern) {
        return PATTERNS.computeIfAbsent(pattern, p -> {
            try {
                return Pattern.compile(p);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("the class pattern " + p + " is not a valid regular expression");
            }
        });
    }

    private static final java.util.concurrent.ConcurrentMap<String, Pattern> PATTERNS = new java.util.concurrent.ConcurrentHashMap<>();
}
