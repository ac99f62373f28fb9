package io.opsbase.cmdb;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 CSV, both ways. Reading: comma-separated, fields optionally in double quotes (a quote
 * inside is doubled), quoted fields may span lines, CRLF or LF line ends, a UTF-8 BOM is skipped,
 * blank lines are ignored. Each record keeps the line number it starts on (the header is line 1),
 * so errors point at the line a spreadsheet shows.
 */
final class CiImportCsv {

    private CiImportCsv() {
    }

    /** One record and the 1-based line it starts on. */
    record Record(int line, List<String> cells) {
    }

    /** Thrown for CSV that cannot be split into records (an unterminated quote). */
    static final class MalformedCsvException extends RuntimeException {

        final int line;

        MalformedCsvException(int line, String message) {
            super(message);
            this.line = line;
        }
    }

    static List<Record> read(Reader in) {
        try {
            return parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Record> parse(Reader in) throws IOException {
        List<Record> records = new ArrayList<>();
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        int line = 1;
        int recordLine = 1;
        boolean quoted = false;
        boolean cellWasQuoted = false;
        boolean first = true;
        int c = in.read();
        while (c != -1) {
            if (first && c == '\uFEFF') {
                first = false;
                c = in.read();
                continue;
            }
            first = false;
            if (quoted) {
                if (c == '"') {
                    int next = in.read();
                    if (next == '"') {
                        cell.append('"');
                    } else {
                        quoted = false;
                        c = next;
                        continue;
                    }
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    cell.append((char) c);
                }
            } else if (c == '"' && cell.isEmpty() && !cellWasQuoted) {
                quoted = true;
                cellWasQuoted = true;
            } else if (c == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
                cellWasQuoted = false;
            } else if (c == '\r' || c == '\n') {
                if (c == '\r') {
                    int next = in.read();
                    if (next != '\n') {
                        endRecord(records, cells, cell, cellWasQuoted, recordLine);
                        cellWasQuoted = false;
                        line++;
                        recordLine = line;
                        c = next;
                        continue;
                    }
                }
                endRecord(records, cells, cell, cellWasQuoted, recordLine);
                cellWasQuoted = false;
                line++;
                recordLine = line;
            } else {
                cell.append((char) c);
            }
            c = in.read();
        }
        if (quoted) {
            throw new MalformedCsvException(recordLine, "a quoted field opened on line " + recordLine + " never closes");
        }
        endRecord(records, cells, cell, cellWasQuoted, recordLine);
        return records;
    }

    private static void endRecord(List<Record> records, List<String> cells, StringBuilder cell, boolean wasQuoted,
            int line) {
        if (cells.isEmpty() && cell.isEmpty() && !wasQuoted) {
            return; // blank line
        }
        cells.add(cell.toString());
        records.add(new Record(line, List.copyOf(cells)));
        cells.clear();
        cell.setLength(0);
    }

    /** One CSV line (without the line end), quoting only the cells that need it. */
    static String line(List<String> cells) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            String v = cells.get(i) == null ? "" : cells.get(i);
            if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0
                    || (!v.isEmpty() && (Character.isWhitespace(v.charAt(0)) || Character.isWhitespace(v.charAt(v.length() - 1))))) {
                sb.append('"').append(v.replace("\"", "\"\"")).append('"');
            } else {
                sb.append(v);
            }
        }
        return sb.toString();
    }
}
