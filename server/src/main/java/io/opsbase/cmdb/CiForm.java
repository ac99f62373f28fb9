package io.opsbase.cmdb;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.util.MultiValueMap;

import io.opsbase.platform.InvalidInputException;

/**
 * The CI create/edit form as posted ({@code name}, {@code ownerTeam}, {@code tags} separated by
 * commas or spaces, and {@code attr.<name>} per attribute), turned into the typed values
 * {@link CiService} takes, and back into strings for the inputs. Values that do not parse go to
 * the service as typed text, so its validator reports them on the right field.
 */
record CiForm(String className, String name, String ownerTeam, String tags, Map<String, String> attributes,
        Integer version) {

    static final String ATTRIBUTE_PREFIX = "attr.";

    /** A blank form for a new CI of {@code ciClass} (may be null), with the class defaults filled in. */
    static CiForm empty(CiClass ciClass) {
        Map<String, String> defaults = new LinkedHashMap<>();
        if (ciClass != null) {
            for (AttributeDefinition a : ciClass.attributes()) {
                if (a.defaultValue() != null) {
                    defaults.put(a.name(), inputValue(a, a.defaultValue()));
                }
            }
        }
        return new CiForm(ciClass == null ? null : ciClass.name(), "", "", "", defaults, null);
    }

    static CiForm of(ConfigurationItem ci, CiClass ciClass) {
        Map<String, String> values = new LinkedHashMap<>();
        for (AttributeDefinition a : ciClass.attributes()) {
            Object value = ci.attributes().get(a.name());
            values.put(a.name(), value == null ? "" : inputValue(a, value));
        }
        return new CiForm(ci.className(), ci.name(), ci.ownerTeam() == null ? "" : ci.ownerTeam(),
                String.join(" ", ci.tags()), values, ci.version());
    }

    static CiForm from(MultiValueMap<String, String> params) {
        Map<String, String> values = new LinkedHashMap<>();
        params.forEach((key, list) -> {
            if (key.startsWith(ATTRIBUTE_PREFIX) && !list.isEmpty()) {
                values.put(key.substring(ATTRIBUTE_PREFIX.length()), list.getFirst());
            }
        });
        String version = params.getFirst("version");
        return new CiForm(params.getFirst("class"), nz(params.getFirst("name")), nz(params.getFirst("ownerTeam")),
                nz(params.getFirst("tags")), values, version == null || version.isBlank() ? null : parseVersion(version));
    }

    String value(String attribute) {
        return attributes.getOrDefault(attribute, "");
    }

    List<String> tagList() {
        return Arrays.stream(tags.split("[,\\s]+")).filter(t -> !t.isBlank()).toList();
    }

    /** For a new CI: blank inputs are left out, so class defaults apply. {@code ciClass} may be null. */
    CreateCi toCreate(CiClass ciClass) {
        Map<String, Object> typed = new LinkedHashMap<>();
        attributes.forEach((name, raw) -> {
            if (!raw.isBlank()) {
                typed.put(name, ciClass == null ? raw : ciClass.attribute(name)
                        .map(a -> typed(a, raw.strip())).orElse(raw));
            }
        });
        return new CreateCi(className, name, typed, ownerTeam.isBlank() ? null : ownerTeam, tagList(), null);
    }

    /** A merge patch of every field on the form; a blank attribute input removes the value. */
    Map<String, Object> toPatch(CiClass ciClass) {
        Map<String, Object> attributePatch = new LinkedHashMap<>();
        for (AttributeDefinition a : ciClass.attributes()) {
            String raw = value(a.name());
            attributePatch.put(a.name(), raw.isBlank() ? null : typed(a, raw.strip()));
        }
        Map<String, Object> patch = new LinkedHashMap<>();
        patch.put("name", name);
        patch.put("ownerTeam", ownerTeam.isBlank() ? null : ownerTeam);
        patch.put("tags", new ArrayList<>(tagList()));
        patch.put("attributes", attributePatch);
        return patch;
    }

    /** Form text → the JSON-like value the attribute type expects; unparseable text stays text. */
    static Object typed(AttributeDefinition a, String raw) {
        try {
            return switch (a.type()) {
                case INTEGER, REFERENCE -> Long.parseLong(raw);
                case DECIMAL -> new BigDecimal(raw);
                case BOOLEAN -> switch (raw) {
                    case "true" -> Boolean.TRUE;
                    case "false" -> Boolean.FALSE;
                    default -> raw;
                };
                // <input type=datetime-local> has no zone: the UI speaks UTC throughout.
                case DATETIME -> raw.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2})?")
                        ? LocalDateTime.parse(raw).atOffset(ZoneOffset.UTC).toString() : raw;
                default -> raw;
            };
        } catch (NumberFormatException | DateTimeParseException e) {
            return raw;
        }
    }

    /** A stored value as an input shows it. */
    static String inputValue(AttributeDefinition a, Object value) {
        if (a.type() == AttributeType.DATETIME && value instanceof String s && s.endsWith("Z")) {
            return s.substring(0, s.length() - 1);
        }
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        return String.valueOf(value);
    }

    /** Field errors keyed as the form names them: {@code name}, {@code tags}, {@code attr.<name>}. */
    static Map<String, String> errors(InvalidInputException e) {
        Map<String, String> errors = new LinkedHashMap<>();
        for (var v : e.errors()) {
            String field = v.field();
            if (field.startsWith("attributes.")) {
                field = ATTRIBUTE_PREFIX + field.substring("attributes.".length());
            } else if (field.startsWith("tags[")) {
                field = "tags";
            }
            errors.putIfAbsent(field, v.message());
        }
        return errors;
    }

    private static Integer parseVersion(String version) {
        try {
            return Integer.parseInt(version);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
