package io.opsbase.monitoring;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import io.opsbase.cmdb.CiService;
import io.opsbase.metrics.Batch;
import io.opsbase.monitoring.internal.IngestQueue;
import io.opsbase.monitoring.internal.LabelBytesCache;
import io.opsbase.monitoring.internal.RemoteWriteDecoder;
import io.opsbase.platform.BadRequestException;
import io.opsbase.platform.NotFoundException;
import io.opsbase.platform.UnavailableException;

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
    static final int MAX_CACHED_SERIES = 1_000_000;
    static final int MAX_KNOWN_CIS = 1_000_000;

    private final IngestQueue queue;
    private final CiService cis;
    private final MonitoringProperties properties;
    private final LabelBytesCache resolved = new LabelBytesCache(MAX_CACHED_SERIES);
    private final Set<Long> knownCis = ConcurrentHashMap.newKeySet();

    RemoteWriteController(IngestQueue queue, CiService cis, MonitoringProperties properties) {
        this.queue = queue;
        this.cis = cis;
        this.properties = properties;
    }

    /**
     * Answers 204 on the servlet's own async context once the samples are durable (see
     * {@link AsyncAnswer}); everything refused before queueing is thrown and answered as an
     * RFC 9457 problem by the usual handler.
     */
    @PostMapping(path = "/api/v1/metrics/write")
    void write(@RequestBody byte[] body, @RequestHeader(name = HttpHeaders.CONTENT_ENCODING, required = false) String encoding,
            HttpServletRequest request, HttpServletResponse response) {
        if (encoding != null && !encoding.equalsIgnoreCase("snappy")) {
            throw new BadRequestException("remote write bodies are snappy-compressed (Content-Encoding: snappy), not " + encoding);
        }
        Batch batch;
        try {
            batch = resolved(RemoteWriteDecoder.read(body, MAX_UNCOMPRESSED));
        } catch (RemoteWriteDecoder.MalformedException e) {
            throw new BadRequestException("not a remote-write request: " + e.getMessage());
        }
        if (batch.size() == 0) {
            response.setStatus(HttpStatus.NO_CONTENT.value());
            return;
        }
        var durable = queue.offer(batch).orElseThrow(
                () -> new UnavailableException("The metrics queue is full; send the request again later", properties.retryAfter()));
        AsyncAnswer answer = new AsyncAnswer(request, response, "a remote-write request");
        durable.whenComplete((result, failure) -> {
            if (failure == null) {
                answer.send(() -> response.setStatus(HttpStatus.NO_CONTENT.value()));
            } else {
                answer.failed(request, failure);
            }
        });
    }

    /**
     * Every series is resolved — from the label-bytes cache, or validated and resolved the first
     * time — before anything is queued, so a bad series refuses the whole request. A series from
     * the cache needs no check of its CI: it was checked when the series was first seen, and a CI,
     * once created, is never deleted (retired CIs keep their id and can still be read).
     */
    private Batch resolved(RemoteWriteDecoder.Request request) throws RemoteWriteDecoder.MalformedException {
        int[] ids = new int[request.sampleCount()];
        byte[] raw = request.raw();
        for (int s = 0; s < request.seriesCount(); s++) {
            int from = request.labelsFrom(s);
            int to = request.labelsTo(s);
            int id = from < 0 ? -1 : resolved.id(raw, from, to);
            if (id < 0) {
                LabelBytesCache.Resolved series = validated(request.labels(s));
                if (from >= 0) {
                    resolved.put(raw, from, to, series);
                }
                id = series.id().value();
            }
            Arrays.fill(ids, request.firstSample(s), request.endSample(s), id);
        }
        return new Batch(ids, Arrays.copyOf(request.timestamps(), ids.length), Arrays.copyOf(request.values(), ids.length));
    }

    /** Checks a series seen for the first time and resolves it to its store id. */
    private LabelBytesCache.Resolved validated(Map<String, String> all) {
        TreeMap<String, String> labels = new TreeMap<>(all);
        String name = labels.remove("__name__");
        String ci = labels.remove("ci");
        if (name == null || !AgentMetricsController.isName(name, true)) {
            throw new BadRequestException("a series has no valid metric name: " + all);
        }
        if (ci == null || !isId(ci) || !ciExists(Long.parseLong(ci))) {
            throw new BadRequestException("series " + name + all
                    + " has no ci label naming an existing CI; add one with external_labels or relabelling");
        }
        for (String label : labels.keySet()) {
            if (!AgentMetricsController.isName(label, false)) {
                throw new BadRequestException("series " + name + " has an invalid label name: " + label);
            }
        }
        long ciId = Long.parseLong(ci);
        return new LabelBytesCache.Resolved(ciId, queue.series(ciId, name, Map.copyOf(labels)), name + all);
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

    /** Whether CI {@code id} exists: asked of the CMDB once, then remembered (a CI is never deleted). */
    private boolean ciExists(long id) {
        if (knownCis.contains(id)) {
            return true;
        }
        try {
            cis.get(id);
        } catch (NotFoundException e) {
            return false;
        }
        if (knownCis.size() >= MAX_KNOWN_CIS) {
            knownCis.clear();
        }
        knownCis.add(id);
        return true;
    }
}
