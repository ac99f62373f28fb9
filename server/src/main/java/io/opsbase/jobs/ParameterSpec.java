package io.opsbase.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.opsbase.platform.InvalidInputException.FieldViolation;

/**
 * A typed template parameter. Its value replaces {@code {{name}}} in the steps' scripts.
 *
 * @param type {@code string}, {@code number}, {@code enum} (one of {@code choices}), {@code hosts}
 *             (comma-separated CI ids) or {@code secret} (sealed at rest, masked in logs and pages)
 */
public record ParameterSpec(String name, String type, Boolean required, String defaultValue, List<String> choices,
        String description) {

    static final Set<String> TYPES = Set.of("string", "number", "enum", "hosts", "secret");

    public ParameterSpec {
        type = type == null || type.isBlank() ? "string" : type;
        choices = choices == null ? List.of() : List.copyOf(choices);
        required = required != null && required;
    }

    public boolean secret() {
        return "secret".equals(type);
    }

    public List<FieldViolation> violations(String prefix) {
        List<FieldViolation> v = new ArrayList<>();
        if (name == null || !name.matches("[A-Za-z_][A-Za-z0-9_]{0,63}")) {
            v.add(new FieldViolation(prefix + "name", "must be a letter or _ then letters, digits or _ (at most 64)"));
        }
        if (!TYPES.contains(type)) {
            v.add(new FieldViolation(prefix + "type", "must be string, number, enum, hosts or secret"));
        } else if ("enum".equals(type) && choices.isEmpty()) {
            v.add(new FieldViolation(prefix + "choices", "an enum parameter needs choices"));
        } else if (secret() && defaultValue != null && !defaultValue.isEmpty()) {
            v.add(new FieldViolation(prefix + "defaultValue", "a secret parameter has no default"));
        } else if (defaultValue != null && !defaultValue.isEmpty() && check(defaultValue) != null) {
            v.add(new FieldViolation(prefix + "defaultValue", check(defaultValue)));
        }
        return v;
    }

    /** Why {@code value} is not one of this parameter's values; null when it is. */
    public String check(String value) {
        return switch (type) {
            case "number" -> value.matches("-?\\d+(\\.\\d+)?") ? null : "must be a number";
            case "enum" -> choices.contains(value) ? null : "must be one of " + String.join(", ", choices);
            case "hosts" -> value.matches("\\d+(\\s*,\\s*\\d+)*") ? null : "must be comma-separated CI ids";
            default -> value.length() <= 10_000 ? null : "must be at most 10000 characters";
        };
    }
}
