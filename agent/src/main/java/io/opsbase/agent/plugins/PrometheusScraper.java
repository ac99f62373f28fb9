package io.opsbase.agent.plugins;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Scrapes a Prometheus endpoint (a node_exporter, an application's {@code /metrics}) the way
 * Prometheus does: it asks for OpenMetrics or the text format, accepts gzip, tells the target its
 * timeout, and refuses a body that passes the size limit after decompression (like Prometheus's
 * {@code body_size_limit}) or a status other than 200. Thread-safe; share one instance.
 */
public final class PrometheusScraper {

    static final String ACCEPT = "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
            + "text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

    private final java.util.function.Supplier<HttpClient> clients;
    private final PrometheusTextParser parser;
    private volatile HttpClient client;

    /** {@code clients} makes the HTTP client on the first scrape: an agent without scrape items never loads it. */
    public PrometheusScraper(java.util.function.Supplier<HttpClient> clients, PrometheusTextParser parser) {
        this.clients = clients;
        this.parser = parser;
    }

    private HttpClient client() {
        HttpClient c = client;
        if (c == null) {
            synchronized (this) {
                c = client;
                if (c == null) {
                    c = clients.get();
                    client = c;
                }
            }
        }
        return c;
    }

    public ScrapeResult scrape(URI target, Duration timeout, int maxBodyBytes)
            throws IOException, InterruptedException, PluginOutputException {
        HttpRequest request = HttpRequest.newBuilder(target).timeout(timeout).GET()
                .header("Accept", ACCEPT)
                .header("Accept-Encoding", "gzip")
                .header("X-Prometheus-Scrape-Timeout-Seconds", Double.toString(timeout.toMillis() / 1000.0))
                .build();
        HttpResponse<InputStream> response = client().send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream raw = response.body()) {
            if (response.statusCode() != 200) {
                throw new PluginOutputException(0, "HTTP " + response.statusCode() + " from " + target);
            }
            boolean gzip = response.headers().firstValue("Content-Encoding").map(e -> e.toLowerCase(Locale.ROOT).contains("gzip"))
                    .orElse(false);
            String body = readBounded(gzip ? new GZIPInputStream(raw) : raw, maxBodyBytes, target);
            String contentType = response.headers().firstValue("Content-Type").orElse("");
            return parser.parse(body, PrometheusTextParser.Format.fromContentType(contentType));
        }
    }

    private static String readBounded(InputStream in, int limit, URI target) throws IOException, PluginOutputException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[16384];
        int n;
        while ((n = in.read(buffer)) > 0) {
            if (out.size() + n > limit) {
                throw new PluginOutputException(0, "the answer of " + target + " passed the limit of " + limit + " bytes");
            }
            out.write(buffer, 0, n);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
