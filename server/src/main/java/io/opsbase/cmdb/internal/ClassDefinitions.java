package io.opsbase.cmdb.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import io.opsbase.cmdb.AttributeDefinition;
import io.opsbase.cmdb.AttributeType;
import io.opsbase.cmdb.NewAttribute;
import io.opsbase.platform.InvalidInputException.FieldViolation;

/** Turns what a caller asks for into a valid {@link AttributeDefinition}, or says what is wrong. Pure. */
public final class ClassDefinitions {

    public static final Pattern CLASS_NAME = Pattern.compile("[A-Z][A-Za-z0-9_]{0,63}");
    public static final Pattern ATTRIBUTE_NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");

    private ClassDefinitions() {
    }

    /**
     * @param field       the JSON path to report problems under, e.g. {@code attributes[2]}
     * @param classExists whether a class of the given name exists (for references)
     */
    public static AttributeDefinition attribute(NewAttribute a, String field, Predicate<String> classExists,
            List<FieldViolation> violations) {
        int before = violations.size();
        if (a == null) {
            violations.add(new FieldViolation(field, "is required"));
            return null;
        }
        if (a.name() == null || !ATTRIBUTE_NAME.matcher(a.name()).matches()) {
            violations.add(new FieldViolation(field + ".name", "must be 1-64 lower-case letters, digits or '_', starting with a letter"));
        }
        if (a.label() != null && a.label().length() > 200) {
            violations.add(new FieldViolation(field + ".label", "must be at most 200 characters"));
        }
        AttributeType type = null;
        try {
            type = AttributeType.fromKey(a.type());
        } catch (IllegalArgumentException e) {
            violations.add(new FieldViolation(field + ".type", e.getMessage()));
        }
        List<String> enumValues = a.enumValues() == null ? List.of() : a.enumValues();
        if (type == AttributeType.ENUM) {
            if (enumValues.isEmpty() || enumValues.stream().anyMatch(v -> v == null || v.isBlank() || v.length() > 100)
                    || new HashSet<>(enumValues).size() != enumValues.size()) {
                violations.add(new FieldViolation(field + ".enumValues", "an enum needs distinct, non-blank values of at most 100 characters"));
            }
        } else if (!enumValues.isEmpty()) {
            violations.add(new FieldViolation(field + ".enumValues", "only an enum has values"));
        }
        if (type == AttributeType.REFERENCE) {
            if (a.refClass() == null || !classExists.test(a.refClass())) {
                violations.add(new FieldViolation(field + ".refClass", "a reference needs an existing class"));
            }
            if (a.defaultValue() != null) {
                violations.add(new FieldViolation(field + ".defaultValue", "a reference has no default"));
            }
        } else if (a.refClass() != null) {
            violations.add(new FieldViolation(field + ".refClass", "only a reference names a class"));
        }
        if (a.pattern() != null) {
            if (type != null && !type.patterned()) {
                violations.add(new FieldViolation(field + ".pattern", "only string, text and url attributes take a pattern"));
            } else if (a.pattern().length() > 500) {
                violations.add(new FieldViolation(field + ".pattern", "must be at most 500 characters"));
            } else {
                try {
                    Pattern.compile(a.pattern());
                } catch (PatternSyntaxException e) {
                    violations.add(new FieldViolation(field + ".pattern", "is not a valid regular expression: " + e.getDescription()));
                }
            }
        }
        if (a.unique() && a.defaultValue() != null) {
            violations.add(new FieldViolation(field + ".defaultValue", "a unique attribute cannot have a default"));
        }
        if (violations.size() > before) {
            return null;
        }
        var definition = new AttributeDefinition(a.name(), a.label(), type, a.required(), a.unique(), a.pattern(), null,
                enumValues, a.refClass());
        Object defaultValue = null;
        if (a.defaultValue() != null) {
            try {
                defaultValue = AttributeValidator.normalize(definition, a.defaultValue());
            } catch (IllegalArgumentException e) {
                violations.add(new FieldViolation(field + ".defaultValue", e.getMessage()));
                return null;
            }
        }
        return new AttributeDefinition(a.name(), a.label(), type, a.required(), a.unique(), a.pattern(), defaultValue,
                enumValues, a.refClass());
    }

    public static List<FieldViolation> duplicates(List<AttributeDefinition> attributes) {
        List<FieldViolation> violations = new ArrayList<>();
        var seen = new HashSet<String>();
        for (int i = 0; i < attributes.size(); i++) {
            if (!seen.add(attributes.get(i).name())) {
                violations.add(new FieldViolation("attributes[" + i + "].name", "appears twice"));
            }
        }
        return violations;
    }
}
