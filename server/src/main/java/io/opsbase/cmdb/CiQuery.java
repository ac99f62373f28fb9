package io.opsbase.cmdb;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.opsbase.platform.BadRequestException;

/**
 * A CI search: the query parameters of {@code GET /api/v1/cis}, parsed. All filters are ANDed.
 *
 * <p>Attribute filters are {@code attr.<name>=<op>:<value>} with op {@code eq} (the default when
 * no known op prefix is given), {@code contains}, {@code gt}, {@code gte}, {@code lt}, {@code lte};
 * text compares case-insensitively, ranges compare numbers for integer/decimal attributes and
 * instants for date/datetime ones. Repeat a parameter for a range:
 * {@code attr.cpu_count=gte:8&attr.cpu_count=lt:64}.
 *
 * @param sort  {@code name}, {@code updatedAt}, {@code createdAt} or {@code id}; a leading {@code -}
 *              sorts descending
 * @param includeRetired retired CIs are left out unless asked for
 */
public record CiQuery(String className, String state, List<String> tags, String ownerTeam, String text,
        List<AttributeFilter> attributes, String sort, int limit, String cursor, boolean includeRetired) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;
    static final Set<String> SORTS = Set.of("name", "-name", "updatedAt", "-updatedAt", "createdAt", "-createdAt", "id", "-id");
    private static final Set<String> PARAMETERS = Set.of("class", "state", "tag", "owner", "q", "sort", "limit", "cursor", "retired");

    public CiQuery {
        tags = tags == null ? List.of() : List.copyOf(tags);
        attributes = attributes == null ? List.of() : List.copyOf(attributes);
        sort = sort == null ? "name" : sort;
        if (!SORTS.contains(sort)) {
            throw new BadRequestException("sort must be one of name, updatedAt, createdAt, id (prefix - for descending)");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new BadRequestException("limit must be between 1 and " + MAX_LIMIT);
        }
    }

    public enum Operator {
        EQ, CONTAINS, GT, GTE, LT, LTE;

        public boolean range() {
            return this == GT || this == GTE || this == LT || this == LTE;
        }
    }

    public record AttributeFilter(String name, Operator op, String value) {
    }

    /**
     * Live CIs of a class whose attribute equals a value, oldest first — the lookup identity
     * resolution needs (serial number, SMBIOS UUID, MAC, hostname).
     */
    public static CiQuery attributeEquals(String className, String attribute, String value, int limit) {
        return new CiQuery(className, null, null, null, null, List.of(new AttributeFilter(attribute, Operator.EQ, value)),
                "id", limit, null, false);
    }

    /** Parses request parameters; anything unknown or malformed is a 400. */
    public static CiQuery fromParameters(Map<String, List<String>> parameters) {
        List<AttributeFilter> filters = new ArrayList<>();
        parameters.forEach((key, values) -> {
            if (key.startsWith("attr.")) {
                String name = key.substring(5);
                if (!name.matches("[a-z][a-z0-9_]{0,63}")) {
                    throw new BadRequestException(key + ": not an attribute name");
                }
                values.forEach(v -> filters.add(filter(name, v)));
            } else if (!PARAMETERS.contains(key)) {
                throw new BadRequestException("unknown query parameter '" + key + "'; filters on attributes are attr.<name>=<op>:<value>");
            } else if (values.size() > 1 && !key.equals("tag")) {
                throw new BadRequestException("query parameter '" + key + "' may appear once");
            }
        });
        return new CiQuery(one(parameters, "class"), one(parameters, "state"), parameters.getOrDefault("tag", List.of()),
                one(parameters, "owner"), one(parameters, "q"), filters, one(parameters, "sort"),
                limit(one(parameters, "limit")), one(parameters, "cursor"), "true".equals(one(parameters, "retired")));
    }

    private static AttributeFilter filter(String name, String raw) {
        int colon = raw.indexOf(':');
        if (colon > 0) {
            String prefix = raw.substring(0, colon).toUpperCase(Locale.ROOT);
            for (Operator op : Operator.values()) {
                if (op.name().equals(prefix)) {
                    return new AttributeFilter(name, op, raw.substring(colon + 1));
                }
            }
        }
        return new AttributeFilter(name, Operator.EQ, raw);
    }

    private static String one(Map<String, List<String>> parameters, String key) {
        List<String> values = parameters.get(key);
        return values == null || values.isEmpty() || values.getFirst().isEmpty() ? null : values.getFirst();
    }

    private static int limit(String value) {
        if (value == null) {
            return DEFAULT_LIMIT;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new BadRequestException("limit must be a number between 1 and " + MAX_LIMIT);
        }
    }
}
