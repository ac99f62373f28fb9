package io.opsbase.cmdb;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The attribute types a class may declare. {@link #normalize} turns a JSON value (as Jackson
 * reads it into Java objects) into the one canonical form that is stored, compared and indexed,
 * or rejects it with a message fit for a 422 field entry.
 */
public enum AttributeType {
    STRING, TEXT, INTEGER, DECIMAL, BOOLEAN, DATE, DATETIME, ENUM, IP, MAC, URL, REFERENCE;

    static final int MAX_STRING = 1000;
    static final int MAX_TEXT = 65_536;
    private static final Pattern MAC_ADDRESS = Pattern.compile("[0-9a-fA-F]{2}([:-])[0-9a-fA-F]{2}(\\1[0-9a-fA-F]{2}){4}");
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

    @JsonValue
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static AttributeType fromKey(String key) {
        for (AttributeType t : values()) {
            if (t.key().equals(key)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown attribute type '" + key
                + "'; one of string, text, integer, decimal, boolean, date, datetime, enum, ip, mac, url, reference");
    }

    /** True when values are kept as numbers in the search index (ranges compare numerically). */
    public boolean numeric() {
        return this == INTEGER || this == DECIMAL || this == REFERENCE;
    }

    /** True when values are instants in the search index (ranges compare in time). */
    public boolean temporal() {
        return this == DATE || this == DATETIME;
    }

    /** True for types whose value is free text a {@code pattern} can constrain. */
    public boolean patterned() {
        return this == STRING || this == TEXT || this == URL;
    }

    /**
     * The canonical value: String for string/text/enum/date (yyyy-MM-dd)/datetime (UTC ISO
     * instant)/ip/mac (lower case, colons)/url, Long for integer and reference, BigDecimal
     * (no trailing zeros) for decimal, Boolean for boolean. Enum membership, patterns and
     * references are checked by the caller, which knows the class.
     *
     * @throws IllegalArgumentException with a human message when the value has the wrong type or form
     */
    public Object normalize(Object raw) {
        return switch (this) {
            case STRING -> text(raw, MAX_STRING);
            case TEXT -> text(raw, MAX_TEXT);
            case ENUM -> text(raw, MAX_STRING);
            case INTEGER, REFERENCE -> integer(raw);
            case DECIMAL -> decimal(raw);
            case BOOLEAN -> {
                if (raw instanceof Boolean b) {
                    yield b;
                }
                throw new IllegalArgumentException("must be true or false");
            }
            case DATE -> {
                try {
                    yield LocalDate.parse(text(raw, 10)).toString();
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException("must be a date like 2026-01-31");
                }
            }
            case DATETIME -> {
                try {
                    yield OffsetDateTime.parse(text(raw, 64)).toInstant().toString();
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException("must be an ISO-8601 date-time with offset, like 2026-01-31T12:00:00Z");
                }
            }
            case IP -> ip(text(raw, 64));
            case MAC -> {
                String s = text(raw, 17);
                if (!MAC_ADDRESS.matcher(s).matches()) {
                    throw new IllegalArgumentException("must be a MAC address like 00:1a:2b:3c:4d:5e");
                }
                yield s.replace('-', ':').toLowerCase(Locale.ROOT);
            }
            case URL -> url(text(raw, MAX_STRING));
        };
    }

    private static String text(Object raw, int max) {
        if (!(raw instanceof String s)) {
            throw new IllegalArgumentException("must be a string");
        }
        if (s.length() > max) {
            throw new IllegalArgumentException("must be at most " + max + " characters");
        }
        return s;
    }

    private static Long integer(Object raw) {
        BigDecimal d = switch (raw) {
            case Integer i -> BigDecimal.valueOf(i);
            case Long l -> BigDecimal.valueOf(l);
            case BigInteger b -> new BigDecimal(b);
            case BigDecimal b -> b;
            case Double x when Double.isFinite(x) -> BigDecimal.valueOf(x);
            case Float x when Float.isFinite(x) -> BigDecimal.valueOf(x);
            case null, default -> throw new IllegalArgumentException("must be an integer");
        };
        if (d.signum() != 0 && d.stripTrailingZeros().scale() > 0) {
            throw new IllegalArgumentException("must be an integer");
        }
        try {
            return d.longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("must be an integer between -2^63 and 2^63-1");
        }
    }

    private static BigDecimal decimal(Object raw) {
        BigDecimal d = switch (raw) {
            case Integer i -> BigDecimal.valueOf(i);
            case Long l -> BigDecimal.valueOf(l);
            case BigInteger b -> new BigDecimal(b);
            case BigDecimal b -> b;
            case Double x when Double.isFinite(x) -> BigDecimal.valueOf(x);
            case Float x when Float.isFinite(x) -> BigDecimal.valueOf(x);
            case null, default -> throw new IllegalArgumentException("must be a number");
        };
        // The search index is decimal(38, 10): keep values that fit it exactly.
        d = d.stripTrailingZeros();
        if (d.scale() > 10 || d.precision() - d.scale() > 28) {
            throw new IllegalArgumentException("must have at most 28 integer digits and 10 decimal places");
        }
        return d.scale() < 0 ? d.setScale(0) : d;
    }

    private static String ip(String s) {
        if (IPV4.matcher(s).matches()) {
            return s;
        }
        if (s.indexOf(':') >= 0 && s.matches("[0-9A-Fa-f:.]+")) {
            try {
                // A literal only: ofLiteral never resolves names.
                return InetAddress.ofLiteral(s).getHostAddress().toLowerCase(Locale.ROOT);
            } catch (IllegalArgumentException e) {
                // fall through to the message below
            }
        }
        throw new IllegalArgumentException("must be an IPv4 or IPv6 address");
    }

    private static String url(String s) {
        try {
            URI uri = new URI(s);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (uri.getHost() == null || !(scheme.equals("http") || scheme.equals("https") || scheme.equals("ftp")
                    || scheme.equals("ssh") || scheme.equals("git"))) {
                throw new IllegalArgumentException("must be an absolute http(s), ftp, ssh or git URL with a host");
            }
            return s;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("must be a valid URL");
        }
    }

    /** The instant a temporal value stands for in the search index (a date at UTC midnight). */
    public static Instant instantOf(AttributeType type, String canonical) {
        return type == DATE ? LocalDate.parse(canonical).atStartOfDay(java.time.ZoneOffset.UTC).toInstant()
                : Instant.parse(canonical);
    }
}
