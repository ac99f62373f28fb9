package io.opsbase.bench.agents;

/** Reads values out of the Prometheus text exposition format. */
final class PrometheusText {

    private PrometheusText() {
    }

    /**
     * The sum of every sample of {@code metric} whose label set contains {@code labelPart} (empty
     * for all); NaN when the metric is absent.
     */
    static double sum(String text, String metric, String labelPart) {
        double sum = 0;
        boolean found = false;
        for (String line : text.split("\n")) {
            if (line.startsWith("#") || !line.startsWith(metric)) {
                continue;
            }
            String rest = line.substring(metric.length());
            if (!(rest.startsWith("{") || rest.startsWith(" "))) {
                continue; // another metric with this one's name as prefix
            }
            String labels = rest.startsWith("{") ? rest.substring(0, rest.indexOf('}') + 1) : "";
            if (!labels.contains(labelPart)) {
                continue;
            }
            String[] parts = rest.substring(labels.length()).trim().split(" ");
            sum += Double.parseDouble(parts[0]);
            found = true;
        }
        return found ? sum : Double.NaN;
    }
}
