package io.opsbase.cmdb;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.opsbase.cmdb.internal.AttributeValidator;
import io.opsbase.cmdb.internal.CiRepository.StoredCi;
import io.opsbase.cmdb.internal.CiWriter.Document;
import io.opsbase.platform.InvalidInputException.FieldViolation;

/**
 * One CSV data row turned into the CI document it asks for, with the same rules as
 * {@link CiService#create} and {@link CiService#update}. Cells are text: each is read as its
 * attribute's type first (numbers, true/false). An empty cell means "no value": on a new CI the
 * class default applies; on an update the value is removed. Columns left out of the file leave an
 * updated CI's values alone. Tags are separated by spaces (a tag never contains one).
 */
final class CiImportRow {

    /** The columns that are CI fields; every other column is an attribute of the class. */
    static final java.util.Set<String> FIELDS = java.util.Set.of("id", "name", "state", "owner_team", "tags");

    private CiImportRow() {
    }

    /**
     * @param before the CI the row updates, or null for a new CI
     * @param after  the document to write (null when the row has errors)
     */
    record Planned(int line, StoredCi before, Document after, List<FieldViolation> errors) {

        boolean creates() {
            return before == null;
        }
    }

    static Planned plan(int line, CiClass ciClass, Map<String, String> cells, StoredCi before) {
        List<FieldViolation> errors = new ArrayList<>();
        boolean creating = before == null;
        ConfigurationItem old = creating ? null : before.item();

        String name = cells.containsKey("name") ? CiFields.name(blankToNull(cells.get("name")), errors) : creating
                ? CiFields.name(null, errors) : old.name();
        String owner = creating ? null : old.ownerTeam();
        if (cells.containsKey("owner_team")) {
            List<FieldViolation> ownerErrors = new ArrayList<>();
            owner = CiFields.ownerTeam(cells.get("owner_team"), ownerErrors);
            ownerErrors.forEach(v -> errors.add(new FieldViolation("owner_team", v.message())));
        }
        List<String> tags = cells.containsKey("tags") ? tags(cells.get("tags"), errors) : creating ? List.of() : old.tags();
        String state = state(ciClass, blankToNull(cells.get("state")), old, errors);

        Map<String, Object> changes = new LinkedHashMap<>();
        cells.forEach((column, cell) -> {
            if (!FIELDS.contains(column)) {
                if (cell.isEmpty()) {
                    if (!creating) {
                        changes.put(column, null);
                    }
                } else {
                    changes.put(column, typed(ciClass, column, cell));
                }
            }
        });
        var result = AttributeValidator.apply(ciClass, creating ? Map.of() : old.attributes(), changes, creating);
        for (FieldViolation v : result.violations()) {
            errors.add(new FieldViolation(v.field().substring("attributes.".length()), v.message()));
        }
        Document after = errors.isEmpty() ? new Document(name, state, owner, tags, result.attributes(), false) : null;
        return new Planned(line, before, after, List.copyOf(errors));
    }

    private static String state(CiClass ciClass, String cell, ConfigurationItem old, List<FieldViolation> errors) {
        Lifecycle lifecycle = ciClass.lifecycle();
        if (old == null) {
            if (cell == null) {
                return lifecycle.initial();
            }
            if (!lifecycle.hasState(cell)) {
                errors.add(new FieldViolation("state", "must be one of " + String.join(", ", lifecycle.states())));
            }
            return cell;
        }
        if (cell == null || cell.equals(old.state())) {
            return old.state();
        }
        if (!lifecycle.permits(old.state(), cell)) {
            List<String> allowed = lifecycle.allowed(old.state());
            errors.add(new FieldViolation("state", "cannot go from " + old.state() + " to " + cell
                    + (allowed.isEmpty() ? "" : "; allowed: " + String.join(", ", allowed))));
        }
        return cell;
    }

    private static List<String> tags(String cell, List<FieldViolation> errors) {
        List<String> raw = cell.isBlank() ? List.of() : List.of(cell.strip().split("\\s+"));
        List<FieldViolation> tagErrors = new ArrayList<>();
        List<String> clean = CiFields.tags(raw, tagErrors);
        if (!tagErrors.isEmpty()) {
            errors.add(new FieldViolation("tags", "each tag must be 1-100 characters without commas; separate tags with spaces"));
        }
        return clean;
    }

    /** The cell as the JSON type its attribute takes; anything unreadable stays text and fails validation. */
    static Object typed(CiClass ciClass, String column, String cell) {
        AttributeType type = ciClass.attribute(column).map(AttributeDefinition::type).orElse(AttributeType.STRING);
        String v = cell.strip();
        return switch (type) {
            case INTEGER, REFERENCE, DECIMAL -> {
                try {
                    yield new BigDecimal(v);
                } catch (NumberFormatException e) {
                    yield cell;
                }
            }
            case BOOLEAN -> switch (v.toLowerCase(Locale.ROOT)) {
                case "true" -> Boolean.TRUE;
                case "false" -> Boolean.FALSE;
                default -> cell;
            };
            default -> cell;
        };
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
