package io.opsbase.cmdb;

import java.util.List;

/**
 * One typed attribute of a class.
 *
 * @param unique       unique within the class among CIs that are not retired (compared case-insensitively)
 * @param pattern      a regular expression the whole value must match (string-like types only)
 * @param defaultValue applied when a new CI leaves the attribute out; already normalised
 * @param enumValues   the allowed values of an {@code enum}
 * @param refClass     for a {@code reference}: the class whose CI ids are accepted
 */
public record AttributeDefinition(
        String name,
        String label,
        AttributeType type,
        boolean required,
        boolean unique,
        String pattern,
        Object defaultValue,
        List<String> enumValues,
        String refClass) {

    public AttributeDefinition {
        enumValues = enumValues == null ? List.of() : List.copyOf(enumValues);
        label = label == null || label.isBlank() ? name : label;
    }
}
