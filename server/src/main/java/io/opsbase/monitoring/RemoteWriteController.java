package io.opsbase.monitoring;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import io.opsbase.cmdb.CiService;
import io.opsbase.monitoring.internal.IngestQueue;
import io.opsbase.monitoring.internal.RemoteWriteDecoder;
import io.opsbase.platform.BadRequestException;
import io.opsbase.platform.NotFoundException;
import io.opsbase.platform.UnavailableException;
import io.opsbase.protocol.MetricSample;

/**
 * {@code POST /api/v1/metrics/write}: a Prometheus remote-write 1.0 receiver, so Prometheus,
 * Grafana Alloy or Telegraf can write into Opsbase (a Bearer token of an operator or admin).
 * Every series must carry a {@code ci} label with the id of an existing CI — set it with
 * {@code external_labels} or relabelling — because Opsbase keeps metrics per CI. A request with
 * any series that breaks the rules is refused whole (400), as Prometheus then drops it rather than
 * retry. The answer (204) waits until the samples are durable; when the ingest queue is full the
 * answer is 503 with {@code Retry-After}, which remote-write senders retry (a batch resent after a
 * partial acceptance stores nothing twice: a series keeps one value per timestamp).
 */
@RestController
class RemoteWriteController {

    static final int MAX_UNCOMPRESSED = 64 * 1024 * 1024;

    private final IngestQueue queue;
    private final CiService cis;
    private final MonitoringProperties properties;

    RemoteWriteController(IngestQueue queue, CiService cis, MonitoringProperties properties) {
        this.queue = queue;
        this.cis = cis;
        this.properties = properties;
    }

    @PostMapping(path = "/api/v1/metrics/write")
    CompletableFuture<ResponseEntity<Void>> write(@RequestBody byte[] body,
            @RequestHeader(name = HttpHeaders.CONTENT_ENCODING, required = false) String encoding) {
        if (encoding != null && !encoding.equalsIgnoreCase("snappy")) {
            throw new BadRequestException("remote write bodies are snappy-compressed (Content-Encoding: snappy), not " + encoding);
        }
        List<RemoteWriteDecoder.Series> series;
        try {
            series = RemoteWriteDecoder.decode(body, MAX_UNCOMPRESSED);
        } catch (RemoteWriteDecoder.MalformedException e) {
            throw new BadRequestException("not a remote-write request: " + e.getMessage());
        }
        Map<Long, List<MetricSample>> byCi = new LinkedHashMap<>();
        Map<String, Boolean> knownCis = new HashMap<>();
        for (RemoteWriteDecoder.Series s : series) {
            TreeMap<String, String> labels = new TreeMap<>(s.labels());
            String name = labels.remove("__name__");
            String ci = labels.remove("ci");
            if (name == null || !AgentMetricsController.isName(name, true)) {
                throw new BadRequestException("a series has no valid metric name: " + s.labels());
            }
            if (ci == null || !isId(ci) || !knownCis.computeIfAbsent(ci, this::ciExists)) {
                throw new BadRequestException("series " + name + s.labels()
                        + " has no ci label naming an existing CI; add one with external_labels or relabelling");
            }
            for (String label : labels.keySet()) {
                if (!AgentMetricsController.isName(label, false)) {
                    throw new BadRequestException("series " + name + " has an invalid label name: " + label);
                }
            }
            List<MetricSample> samples = byCi.computeIfAbsent(Long.parseLong(ci), k -> new ArrayList<>());
            // One immutable copy per series, shared by its samples (MetricSample keeps an immutable map as it is).
            Map<String, String> frozen = Map.copyOf(labels);
            for (int i = 0; i < s.timestamps().length; i++) {
                samples.add(new MetricSample(name, frozen, Instant.ofEpochMilli(s.timestamps()[i]), s.values()[i]));
            }
        }
        List<CompletableFuture<?>> durable = new ArrayList<>();
        for (Map.Entry<Long, List<MetricSample>> e : byCi.entrySet()) {
            var accepted = queue.offer(e.getKey(), e.getValue());
            if (accepted.isEmpty()) {
                throw new UnavailableException("The metrics queue is full; send the request again later", properties.retryAfter());
            }
            durable.add(accepted.get());
        }
        return CompletableFuture.allOf(durable.toArray(CompletableFuture[]::new))
                .thenApply(v -> ResponseEntity.noContent().build());
    }

    /** {@code \\d{1,18}}, without a regex: checked for every series of every request. */
    private static boolean isId(String text) {
        if (text.isEmpty() || text.length() > 18) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private boolean ciExists(String id) {
        try {
            cis.get(Long.parseLong(id));
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }
}
