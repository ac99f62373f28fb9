package io.opsbase.monitoring.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

import io.opsbase.protocol.MetricSample;
import io.opsbase.protocol.MetricsBatchRequest;
import io.opsbase.protocol.ProtocolJson;

/**
 * Reads {@code MetricsBatchRequest} JSON with Jackson's streaming parser, for the shape agents
 * send: {@code {"idempotencyKey": "…", "samples": [{"name": "…", "labels": {"k": "v"},
 * "timestamp": "2026-11-29T09:00:00.123Z", "value": 1.5}, …]}} in any field order, unknown fields
 * skipped. It builds the records directly (label maps as immutable maps, timestamps parsed by
 * hand) instead of through data binding and its general {@code Instant} parser. Anything outside
 * that shape — a null, a number as a string, a timestamp in another form — makes it give up and
 * answer {@link #read}'s fallback, full data binding, so what is accepted and refused is exactly
 * what {@link ProtocolJson#read} accepts and refuses. Thread-safe (stateless).
 */
public final class MetricsBatchReader {

    private MetricsBatchReader() {
    }

    /** The batch, as {@code ProtocolJson.read(json, MetricsBatchRequest.class)} would give it. */
    public static MetricsBatchRequest read(byte[] json) {
        MetricsBatchRequest fast;
        try {
            fast = fast(json);
        } catch (RuntimeException e) {
            fast = null;
        }
        return fast != null ? fast : ProtocolJson.read(json, MetricsBatchRequest.class);
    }

    /** Null when the input is not in the plain shape. */
    static MetricsBatchRequest fast(byte[] json) {
        try (JsonParser p = ProtocolJson.mapper().createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String key = null;
            List<MetricSample> samples = List.of();
            for (String field = p.nextName(); field != null; field = p.nextName()) {
                JsonToken t = p.nextToken();
                if (field.equals("idempotencyKey")) {
                    if (t != JsonToken.VALUE_STRING) {
                        return null;
                    }
                    key = p.getString();
                } else if (field.equals("samples")) {
                    if (t != JsonToken.START_ARRAY) {
                        return null;
                    }
                    samples = samples(p);
                    if (samples == null) {
                        return null;
                    }
                } else {
                    p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null || key == null) {
                return null;
            }
            return new MetricsBatchRequest(key, samples);
        }
    }

    private static List<MetricSample> samples(JsonParser p) {
        List<MetricSample> out = new ArrayList<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t != JsonToken.START_OBJECT) {
                return null;
            }
            String name = null;
            Map<String, String> labels = Map.of();
            Instant timestamp = null;
            double value = 0;
            boolean hasValue = false;
            for (String field = p.nextName(); field != null; field = p.nextName()) {
                JsonToken v = p.nextToken();
                switch (field) {
                    case "name" -> {
                        if (v != JsonToken.VALUE_STRING) {
                            return null;
                        }
                        name = p.getString();
                    }
                    case "labels" -> {
                        labels = labels(p, v);
                        if (labels == null) {
                            return null;
                        }
                    }
                    case "timestamp" -> {
                        if (v != JsonToken.VALUE_STRING) {
                            return null;
                        }
                        timestamp = instant(p.getString());
                        if (timestamp == null) {
                            return null;
                        }
                    }
                    case "value" -> {
                        if (v != JsonToken.VALUE_NUMBER_FLOAT && v != JsonToken.VALUE_NUMBER_INT) {
                            return null;
                        }
                        value = p.getDoubleValue();
                        hasValue = true;
                    }
                    default -> p.skipChildren();
                }
            }
            if (name == null || timestamp == null || !hasValue) {
                return null;
            }
            out.add(new MetricSample(name, labels, timestamp, value));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> labels(JsonParser p, JsonToken start) {
        if (start != JsonToken.START_OBJECT) {
            return null;
        }
        List<Map.Entry<String, String>> entries = new ArrayList<>(8);
        for (String label = p.nextName(); label != null; label = p.nextName()) {
            if (p.nextToken() != JsonToken.VALUE_STRING) {
                return null;
            }
            entries.add(Map.entry(label, p.getString()));
        }
        try {
            return Map.ofEntries(entries.toArray(Map.Entry[]::new));
        } catch (IllegalArgumentException duplicate) {
            return null;
        }
    }

    /**
     * {@code yyyy-MM-ddTHH:mm:ss[.f…]Z} (1 to 9 fraction digits, years 0000–9999) as an instant;
     * null for anything else, which the fallback then parses or refuses.
     */
    static Instant instant(String s) {
        int n = s.length();
        if (n < 20 || s.charAt(n - 1) != 'Z' || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T'
                || s.charAt(13) != ':' || s.charAt(16) != ':') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > lengthOfMonth(year, month) || hour < 0 || hour > 23
                || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return null;
        }
        int nanos = 0;
        if (n > 20) {
            int digits = n - 21;
            if (s.charAt(19) != '.' || digits < 1 || digits > 9) {
                return null;
            }
            int fraction = digits(s, 20, digits);
            if (fraction < 0) {
                return null;
            }
            for (int i = digits; i < 9; i++) {
                fraction *= 10;
            }
            nanos = fraction;
        }
        long days = java.time.LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(days * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
    }

    private static int digits(String s, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static int lengthOfMonth(int year, int month) {
        return java.time.YearMonth.of(year, month).lengthOfMonth();
    }
}
