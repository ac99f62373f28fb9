package io.opsbase.agent.plugins;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what a Nagios-compatible check printed (the Nagios plugin API, also followed by
 * Monitoring Plugins and Icinga):
 *
 * <pre>
 * SUMMARY TEXT | perfdata perfdata ...
 * long text line 1
 * long text line 2 | more perfdata
 * more perfdata
 * </pre>
 *
 * The summary is the first line up to {@code |}; long text runs until a line containing {@code |},
 * after which everything is performance data. A malformed performance-data item is skipped and
 * reported (as Icinga does) — it never hides the check's state. Thread-safe; stateless.
 */
public final class CheckOutputParser {

    private static final Pattern VALUE = Pattern.compile("^(U|[-+]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][-+]?\\d+)?)([^\\d;\\s][^;\\s]*)?$");
    private static final Pattern NUMBER = Pattern.compile("^[-+]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][-+]?\\d+)?$");

    public CheckResult parse(int exitCode, String output) {
        String text = output.replace("\r\n", "\n");
        String[] lines = text.split("\n", -1);
        String first = lines.length > 0 ? lines[0] : "";
        StringBuilder perf = new StringBuilder();
        String summary = first;
        int bar = first.indexOf('|');
        if (bar >= 0) {
            summary = first.substring(0, bar);
            perf.append(first.substring(bar + 1)).append(' ');
        }
        List<String> longText = new ArrayList<>();
        boolean inPerf = false;
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (inPerf) {
                perf.append(line).append(' ');
                continue;
            }
            int b = line.indexOf('|');
            if (b >= 0) {
                longText.add(line.substring(0, b));
                perf.append(line.substring(b + 1)).append(' ');
                inPerf = true;
            } else {
                longText.add(line);
            }
        }
        while (!longText.isEmpty() && longText.getLast().isBlank()) {
            longText.removeLast();
        }
        List<PerfDatum> data = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        readPerfData(perf.toString(), data, problems);
        return new CheckResult(ServiceState.fromExitCode(exitCode), summary.strip(), String.join("\n", longText).strip(),
                data, problems);
    }

    private static void readPerfData(String perf, List<PerfDatum> data, List<String> problems) {
        int pos = 0;
        int n = perf.length();
        while (pos < n) {
            while (pos < n && Character.isWhitespace(perf.charAt(pos))) {
                pos++;
            }
            if (pos >= n) {
                return;
            }
            String label;
            if (perf.charAt(pos) == '\'') {
                StringBuilder quoted = new StringBuilder();
                pos++;
                boolean closed = false;
                while (pos < n) {
                    char c = perf.charAt(pos++);
                    if (c == '\'') {
                        if (pos < n && perf.charAt(pos) == '\'') {
                            quoted.append('\'');
                            pos++;
                        } else {
                            closed = true;
                            break;
                        }
                    } else {
                        quoted.append(c);
                    }
                }
                if (!closed || pos >= n || perf.charAt(pos) != '=') {
                    problems.add("unterminated or unassigned quoted label '" + quoted + "'");
                    return;
                }
                label = quoted.toString();
            } else {
                int eq = perf.indexOf('=', pos);
                int space = indexOfWhitespace(perf, pos);
                if (eq < 0 || (space >= 0 && space < eq)) {
                    int end = space < 0 ? n : space;
                    problems.add("'" + perf.substring(pos, end) + "' has no '='");
                    pos = end;
                    continue;
                }
                label = perf.substring(pos, eq);
                pos = eq;
            }
            pos++; // '='
            int end = indexOfWhitespace(perf, pos);
            if (end < 0) {
                end = n;
            }
            String spec = perf.substring(pos, end);
            pos = end;
            PerfDatum datum = datum(label, spec, problems);
            if (datum != null) {
                data.add(datum);
            }
        }
    }

    private static PerfDatum datum(String label, String spec, List<String> problems) {
        String[] fields = spec.split(";", -1);
        Matcher m = VALUE.matcher(fields[0]);
        if (label.isEmpty() || !m.matches()) {
            problems.add("'" + label + "=" + spec + "' is not label=value[UOM];warn;crit;min;max");
            return null;
        }
        PerfDatum.Unit unit = PerfDatum.Unit.of(m.group(2) == null ? "" : m.group(2));
        double value = m.group(1).equals("U") ? Double.NaN : Double.parseDouble(m.group(1)) * unit.factor();
        return new PerfDatum(label, value, unit.name(), field(fields, 1), field(fields, 2),
                bound(fields, 3, unit), bound(fields, 4, unit));
    }

    private static String field(String[] fields, int i) {
        return i < fields.length ? fields[i] : "";
    }

    private static double bound(String[] fields, int i, PerfDatum.Unit unit) {
        String f = field(fields, i);
        return NUMBER.matcher(f).matches() ? Double.parseDouble(f) * unit.factor() : Double.NaN;
    }

    private static int indexOfWhitespace(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }
}
