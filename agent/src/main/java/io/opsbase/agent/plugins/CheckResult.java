package io.opsbase.agent.plugins;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A check's outcome: its state, the one-line summary and long text it printed, its performance
 * data, and the performance-data items that could not be read (shown to the operator, never
 * silently dropped).
 */
public record CheckResult(ServiceState state, String summary, String longText, List<PerfDatum> perfData,
        List<String> perfDataProblems) {

    public CheckResult {
        perfData = List.copyOf(perfData);
        perfDataProblems = List.copyOf(perfDataProblems);
    }

    /** A check that produced no readable answer (timed out, could not start, printed too much). */
    public static CheckResult unknown(String why) {
        return new CheckResult(ServiceState.UNKNOWN, why, "", List.of(), List.of());
    }

    /**
     * The metrics this result is stored as, for the item named {@code check}:
     * {@code check_state{check}} (0 OK … 3 UNKNOWN) and one {@code check_perfdata{check,label[,unit]}}
     * per performance-data item, in its base unit. Undetermined values ({@code U}) are left out.
     */
    public List<MetricPoint> toMetrics(String check) {
        List<MetricPoint> points = new ArrayList<>(perfData.size() + 1);
        points.add(MetricPoint.of("check_state", Map.of("check", check), state.code()));
        for (PerfDatum d : perfData) {
            if (Double.isNaN(d.value())) {
                continue;
            }
            Map<String, String> labels = d.unit().isEmpty()
                    ? Map.of("check", check, "label", d.label())
                    : Map.of("check", check, "label", d.label(), "unit", d.unit());
            points.add(MetricPoint.of("check_perfdata", labels, d.value()));
        }
        return points;
    }
}
