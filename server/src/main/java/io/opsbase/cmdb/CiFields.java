package io.opsbase.cmdb;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.opsbase.platform.InvalidInputException.FieldViolation;

/** Rules for the CI fields every class shares (name, owner team, tags) and for reading a merge patch. */
final class CiFields {

    private static final Set<String> READ_ONLY = Set.of("id", "version", "createdAt", "updatedAt", "retired");

    private CiFields() {
    }

    static String name(String name, List<FieldViolation> violations) {
        if (name == null || name.isBlank()) {
            violations.add(new FieldViolation("name", "is required"));
            return null;
        }
        if (name.strip().length() > 255) {
            violations.add(new FieldViolation("name", "must be at most 255 characters"));
        }
        return name.strip();
    }

    static String ownerTeam(String owner, List<FieldViolation> violations) {
        if (owner == null || owner.isBlank()) {
            return null;
        }
        if (owner.strip().length() > 100) {
            violations.add(new FieldViolation("ownerTeam", "must be at most 100 characters"));
        }
        return owner.strip();
    }

    /** Tags are trimmed, de-duplicated and sorted; each is 1-100 characters without spaces or commas. */
    static List<String> tags(List<?> tags, List<FieldViolation> violations) {
        TreeSet<String> clean = new TreeSet<>();
        if (tags == null) {
            return List.of();
        }
        for (int i = 0; i < tags.size(); i++) {
            if (!(tags.get(i) instanceof String tag) || tag.isBlank() || tag.strip().length() > 100
                    || !tag.strip().matches("[^\\s,]+")) {
                violations.add(new FieldViolation("tags[" + i + "]", "must be 1-100 characters without spaces or commas"));
            } else {
                clean.add(tag.strip());
            }
        }
        return List.copyOf(clean);
    }

    /** A merge patch split into the fields it sets and the attributes it changes. */
    record Patch(Map<String, Object> fields, Map<String, Object> attributes, List<FieldViolation> violations) {

        boolean has(String field) {
            return fields.containsKey(field);
        }

        Object value(String field) {
            return fields.get(field);
        }

        List<?> tags() {
            return fields.get("tags") instanceof List<?> l ? l : List.of();
        }
    }

    static Patch readPatch(Map<String, Object> mergePatch) {
        Map<String, Object> fields = new LinkedHashMap<>();
        Map<String, Object> attributes = new LinkedHashMap<>();
        List<FieldViolation> violations = new ArrayList<>();
        mergePatch.forEach((key, value) -> {
            switch (key) {
                case "name", "ownerTeam" -> {
                    if (value != null && !(value instanceof String)) {
                        violations.add(new FieldViolation(key, "must be a string"));
                    } else {
                        fields.put(key, value);
                    }
                }
                case "tags" -> {
                    if (value != null && !(value instanceof List<?>)) {
                        violations.add(new FieldViolation(key, "must be an array of strings"));
                    } else {
                        fields.put(key, value);
                    }
                }
                case "attributes" -> {
                    if (value instanceof Map<?, ?> m) {
                        m.forEach((k, v) -> attributes.put(String.valueOf(k), v));
                    } else if (value != null) {
                        violations.add(new FieldViolation(key, "must be an object"));
                    }
                }
                case "state" -> violations.add(new FieldViolation(key, "changes only by POST /api/v1/cis/{id}/transitions"));
                case "class" -> violations.add(new FieldViolation(key, "cannot change; create a new CI of the other class"));
                default -> violations.add(new FieldViolation(key, READ_ONLY.contains(key) ? "is read-only" : "is not a CI field"));
            }
        });
        return new Patch(fields, attributes, violations);
    }
}
