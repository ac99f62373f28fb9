package io.opsbase.metrics;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Reads a recording: gzip CSV (RFC 4180 quoting) with header {@code series,timestamp_ms,value},
 * {@code series} in Prometheus notation, values decimal, {@code NaN}, {@code +Inf} or {@code -Inf}.
 * Samples of a series keep file order. Used by the benchmarks and the tests on real data.
 */
public final class CsvRecording {

    private CsvRecording() {
    }

    public static Map<SeriesKey, Samples> read(Path file) throws IOException {
        Map<String, SampleBuffer> bySeries = new LinkedHashMap<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(file), 1 << 16), StandardCharsets.UTF_8))) {
            String header = in.readLine();
            if (header == null || !header.strip().equals("series,timestamp_ms,value")) {
                throw new IOException(file + ": expected header series,timestamp_ms,value but got " + header);
            }
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isEmpty()) {
                    continue;
                }
                String series;
                int rest;
                if (line.charAt(0) == '"') {
                    StringBuilder s = new StringBuilder();
                    int i = 1;
                    while (true) {
                        char c = line.charAt(i++);
                        if (c == '"') {
                            if (i < line.length() && line.charAt(i) == '"') {
                                s.append('"');
                                i++;
                            } else {
                                break;
                            }
                        } else {
                            s.append(c);
                        }
                    }
                    series = s.toString();
                    rest = i + 1;
                } else {
                    int comma = line.indexOf(',');
                    series = line.substring(0, comma);
                    rest = comma + 1;
                }
                int comma = line.indexOf(',', rest);
                long t = Long.parseLong(line.substring(rest, comma));
                bySeries.computeIfAbsent(series, k -> new SampleBuffer(512)).add(t, parseValue(line.substring(comma + 1)));
            }
        }
        Map<SeriesKey, Samples> out = new LinkedHashMap<>();
        bySeries.forEach((k, v) -> out.put(SeriesKey.parse(k), v.toSamples()));
        return out;
    }

    static double parseValue(String text) {
        return switch (text.strip()) {
            case "NaN" -> Double.NaN;
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }
}
