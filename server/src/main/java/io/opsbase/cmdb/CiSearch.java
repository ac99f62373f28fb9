package io.opsbase.cmdb;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.opsbase.cmdb.CiQuery.AttributeFilter;
import io.opsbase.cmdb.CiQuery.Operator;
import io.opsbase.cmdb.internal.CiRepository;
import io.opsbase.cmdb.internal.ClassRepository;
import io.opsbase.platform.BadRequestException;
import io.opsbase.platform.InvalidInputException;
import io.opsbase.platform.Page;

/**
 * CI search over the indexed columns: cis (class, state, owner, name, times), ci_tags, ci_values
 * (text/number/time per attribute) and cis.search_text. Pages are keyset pages — the cursor
 * carries the last row's sort key and id — so page 1,000 costs what page 1 costs. The total is
 * counted on the first page only and only up to {@link #COUNT_LIMIT}, so that a broad filter over
 * 100,000 CIs never pays for a full count.
 */
@Service
public class CiSearch {

    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    /** Totals are exact up to this many matches and null beyond it. */
    public static final int COUNT_LIMIT = 10_000;

    private final JdbcClient jdbc;
    private final CiRepository cis;
    private final ClassRepository classes;
    private final boolean postgres;

    CiSearch(JdbcClient jdbc, CiRepository cis, ClassRepository classes, javax.sql.DataSource dataSource) {
        this.jdbc = jdbc;
        this.cis = cis;
        this.classes = classes;
        this.postgres = isPostgres(dataSource);
    }

    private static boolean isPostgres(javax.sql.DataSource dataSource) {
        try {
            return "PostgreSQL".equals(org.springframework.jdbc.support.JdbcUtils.extractDatabaseMetaData(dataSource,
                    java.sql.DatabaseMetaData::getDatabaseProductName));
        } catch (org.springframework.jdbc.support.MetaDataAccessException e) {
            throw new IllegalStateException("cannot tell which database this is", e);
        }
    }

    @Transactional(readOnly = true)
    public Page<ConfigurationItem> search(CiQuery query) {
        CiClass ciClass = query.className() == null ? null : classes.findByName(query.className())
                .orElseThrow(() -> new InvalidInputException("class", "no class is named " + query.className()));
        if (postgres) {
            // The driver prepares repeated statements on the server, and PostgreSQL then may use one
            // generic plan for every value. For a search that plan is blind to what matters — how
            // selective this LIKE pattern or range is — and picked a 30 ms walk of the name index
            // where the trigram index answers in 1 ms. Plan each search for its own values.
            jdbc.sql("set local plan_cache_mode = force_custom_plan").update();
        }
        StringBuilder where = new StringBuilder(" where 1 = 1");
        Map<String, Object> params = new LinkedHashMap<>();
        if (!query.includeRetired()) {
            where.append(" and c.retired_at is null");
        }
        if (ciClass != null) {
            where.append(" and c.class_id = :classId");
            params.put("classId", ciClass.id());
        }
        if (query.state() != null) {
            where.append(" and c.state = :state");
            params.put("state", query.state());
        }
        if (query.ownerTeam() != null) {
            where.append(" and c.owner_team = :owner");
            params.put("owner", query.ownerTeam());
        }
        for (int i = 0; i < query.tags().size(); i++) {
            where.append(" and exists (select 1 from ci_tags t where t.ci_id = c.id and t.tag = :tag").append(i).append(")");
            params.put("tag" + i, query.tags().get(i));
        }
        if (query.text() != null) {
            where.append(" and c.search_text like :text escape '\\'");
            params.put("text", "%" + likeEscape(query.text().toLowerCase(Locale.ROOT)) + "%");
        }
        for (int i = 0; i < query.attributes().size(); i++) {
            where.append(attributeCondition(query.attributes().get(i), ciClass, i, params));
        }
        String filter = where.toString();
        Map<String, Object> filterParams = new LinkedHashMap<>(params);

        String sortKey = query.sort().startsWith("-") ? query.sort().substring(1) : query.sort();
        boolean descending = query.sort().startsWith("-");
        String column = switch (sortKey) {
            case "name" -> "c.name";
            case "updatedAt" -> "c.updated_at";
            case "createdAt" -> "c.created_at";
            default -> "c.id";
        };
        String cmp = descending ? "<" : ">";
        StringBuilder sql = new StringBuilder("select c.id, ").append(column).append(" as sort_key from cis c").append(where);
        if (query.cursor() != null) {
            Cursor cursor = Cursor.decode(query.cursor());
            if (column.equals("c.id")) {
                sql.append(" and c.id ").append(cmp).append(" :afterId");
            } else {
                sql.append(" and (").append(column).append(' ').append(cmp).append(" :afterKey or (").append(column)
                        .append(" = :afterKey and c.id ").append(cmp).append(" :afterId))");
                params.put("afterKey", column.equals("c.name") ? cursor.key() : Timestamp.from(cursor.instant()));
            }
            params.put("afterId", cursor.id());
        }
        String direction = descending ? " desc" : " asc";
        sql.append(" order by ").append(column).append(direction);
        if (!column.equals("c.id")) {
            sql.append(", c.id").append(direction);
        }
        sql.append(" limit ").append(query.limit() + 1);
        List<Cursor> rows = jdbc.sql(sql.toString()).params(params).query((rs, n) -> new Cursor(rs.getLong(1),
                column.equals("c.name") ? rs.getString(2)
                        : column.equals("c.id") ? null : Long.toString(micros(rs.getTimestamp(2).toInstant())))).list();
        boolean more = rows.size() > query.limit();
        List<Cursor> page = more ? rows.subList(0, query.limit()) : rows;
        // Counting is O(matches): count on the first page only, and only up to a bound. A first
        // page that holds every match is its own count.
        Long total = null;
        if (query.cursor() == null) {
            total = more ? count(filter, filterParams) : Long.valueOf(page.size());
        }
        List<ConfigurationItem> items = cis.findAll(page.stream().map(Cursor::id).toList());
        return new Page<>(items, more ? page.getLast().encode() : null, total);
    }

    /** The number of matches, or null when there are more than {@link #COUNT_LIMIT} (not cheap to count). */
    private Long count(String where, Map<String, Object> params) {
        long n = jdbc.sql("select count(*) from (select 1 as one from cis c" + where + " limit " + (COUNT_LIMIT + 1) + ") matches")
                .params(params).query(Long.class).single();
        return n > COUNT_LIMIT ? null : n;
    }

    private static String attributeCondition(AttributeFilter f, CiClass ciClass, int i, Map<String, Object> params) {
        String field = "attr." + f.name();
        AttributeType type = null;
        if (ciClass != null) {
            type = ciClass.attribute(f.name()).map(AttributeDefinition::type).orElseThrow(() ->
                    new InvalidInputException(field, "is not an attribute of class " + ciClass.name()));
        }
        String p = "v" + i;
        params.put(p + "name", f.name());
        if (f.op() == Operator.CONTAINS) {
            // A leading wildcard cannot use the index, so probing each candidate CI is as good as it gets.
            params.put(p, "%" + likeEscape(f.value().toLowerCase(Locale.ROOT)) + "%");
            return " and exists (select 1 from ci_values v where v.ci_id = c.id and v.name = :" + p + "name and "
                    + "v.text_value like :" + p + " escape '\\')";
        }
        // Equality and ranges start from the (name, value, ci_id) index: "c.id in (…)" lets H2 read the
        // few matching ci_ids from it and fetch those CIs by key, where "exists (…)" made it walk every
        // CI of the class and probe ci_values for each (scanCount 5,001 on 5,000 CIs). PostgreSQL plans both alike.
        String valueIn = " and c.id in (select v.ci_id from ci_values v where v.name = :" + p + "name and ";
        Object number = (type == null || type.numeric()) ? number(f.value()) : null;
        Instant time = (type == null || type.temporal()) && number == null ? instant(f.value()) : null;
        if (f.op() == Operator.EQ) {
            if (type != null && type.numeric()) {
                params.put(p, require(number, field, "a number"));
                return valueIn + "v.num_value = :" + p + ")";
            }
            if (type != null && type.temporal()) {
                params.put(p, Timestamp.from(require(time, field, "a date or date-time")));
                return valueIn + "v.time_value = :" + p + ")";
            }
            params.put(p, f.value().toLowerCase(Locale.ROOT));
            return valueIn + "v.text_value = :" + p + ")";
        }
        String op = switch (f.op()) {
            case GT -> ">";
            case GTE -> ">=";
            case LT -> "<";
            default -> "<=";
        };
        if (number != null) {
            params.put(p, number);
            return valueIn + "v.num_value " + op + " :" + p + ")";
        }
        if (time != null) {
            params.put(p, Timestamp.from(time));
            return valueIn + "v.time_value " + op + " :" + p + ")";
        }
        throw new InvalidInputException(field, f.op().name().toLowerCase(Locale.ROOT)
                + " compares numbers or dates; '" + f.value() + "' is neither"
                + (type == null ? "" : " (" + f.name() + " is " + type.key() + ")"));
    }

    private static <T> T require(T value, String field, String what) {
        if (value == null) {
            throw new InvalidInputException(field, "must be " + what);
        }
        return value;
    }

    private static BigDecimal number(String s) {
        if (!NUMBER.matcher(s).matches()) {
            return null; // most filter values are names and serials: no exception per query
        }
        try {
            return new BigDecimal(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Instant instant(String s) {
        if (s.length() < 10 || !Character.isDigit(s.charAt(0))) {
            return null;
        }
        try {
            return s.length() == 10 ? LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant() : OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String likeEscape(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000 + t.getNano() / 1_000;
    }

    /** The last row of a page: its id and sort key (a name, or an instant in epoch microseconds). */
    private record Cursor(long id, String key) {

        String encode() {
            String raw = id + ":" + (key == null ? "" : key);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
        }

        Instant instant() {
            try {
                long micros = Long.parseLong(key);
                return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1_000L);
            } catch (NumberFormatException e) {
                throw new BadRequestException("cursor does not belong to this sort order");
            }
        }

        static Cursor decode(String cursor) {
            try {
                String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
                int colon = raw.indexOf(':');
                return new Cursor(Long.parseLong(raw.substring(0, colon)), raw.substring(colon + 1));
            } catch (IllegalArgumentException | StringIndexOutOfBoundsException e) {
                throw new BadRequestException("cursor is not one this API issued");
            }
        }
    }
}
