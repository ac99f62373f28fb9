package io.opsbase.monitoring;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;


import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import io.opsbase.agents.AgentService;
import io.opsbase.monitoring.internal.IngestQueue;
import io.opsbase.monitoring.internal.MetricsBatchReader;
import io.opsbase.platform.BadRequestException;
import io.opsbase.platform.ConflictException;
import io.opsbase.platform.InvalidInputException;
import io.opsbase.platform.InvalidInputException.FieldViolation;
import io.opsbase.platform.RequestBodies;
import io.opsbase.platform.TooManyRequestsException;
import io.opsbase.protocol.Acknowledgement;
import io.opsbase.protocol.AgentEndpoints;
import io.opsbase.protocol.MetricSample;
import io.opsbase.protocol.MetricsBatchRequest;
import io.opsbase.protocol.MetricsBatchResponse;
import io.opsbase.protocol.ProtocolJson;

/**
 * {@code POST /api/v1/agent/metrics}: a signed (and usually gzipped) batch of samples from an
 * agent bound to a CI. The batch is validated as a whole — one bad sample refuses it with a 422
 * listing every problem, and nothing is stored — then queued; the answer waits until the samples
 * are durable. A full queue answers 429 with {@code Retry-After}; the agent keeps the batch and
 * sends it again. A batch sent again after a lost answer is harmless: a series keeps one value per
 * timestamp, and a key seen recently is answered {@code DUPLICATE} at once.
 */
@RestController
class AgentMetricsController {

    static final int MAX_INFLATED_BYTES = 32 * 1024 * 1024;
    static final int MAX_LABELS = 32;
    static final int MAX_NAME_LENGTH = 200;
    static final int MAX_LABEL_VALUE_LENGTH = 1024;
    private static final int REMEMBERED_KEYS = 100_000;

    private final AgentService agents;
    private final IngestQueue queue;
    private final MonitoringProperties properties;
    private final Clock clock;
    private final Map<String, Boolean> recentKeys = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED_KEYS;
        }
    };

    AgentMetricsController(AgentService agents, IngestQueue queue, MonitoringProperties properties, Clock clock) {
        this.agents = agents;
        this.queue = queue;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * Answers on the servlet's own async context rather than by returning a future: the answer is
     * written by the thread that completes the WAL's sync and the exchange ends there, without the
     * second dispatch through the filter chains and Spring MVC that a returned future costs.
     * Everything that can go wrong before the
     * batch is queued is still thrown and answered as an RFC 9457 problem by the usual handler.
     */
    @PostMapping(path = AgentEndpoints.METRICS, consumes = MediaType.APPLICATION_JSON_VALUE)
    void report(@RequestBody byte[] body, Authentication auth,
            @RequestHeader(name = HttpHeaders.CONTENT_ENCODING, required = false) String encoding,
            HttpServletRequest request, HttpServletResponse response) throws IOException {
        long agentId = Long.parseLong(auth.getName().substring("agent:".length()));
        MetricsBatchRequest batch;
        try {
            batch = MetricsBatchReader.read(RequestBodies.decoded(body, encoding, MAX_INFLATED_BYTES));
        } catch (RuntimeException e) {
            if (e instanceof BadRequestException bad) {
                throw bad;
            }
            throw new BadRequestException("the body is not a valid MetricsBatchRequest");
        }
        long ciId = agents.boundCi(agentId).orElseThrow(() -> new ConflictException("agent-not-approved",
                "Agent " + agentId + " is not bound to a CI yet; approve its host before it reports metrics"));
        List<MetricSample> samples = validated(batch);
        String key = agentId + "/" + batch.idempotencyKey();
        if (seen(key)) {
            write(response, batch, Acknowledgement.Status.DUPLICATE);
            return;
        }
        var durable = queue.offer(ciId, samples).orElseThrow(() -> new TooManyRequestsException(
                "The metrics queue is full; keep the batch and send it again later", properties.retryAfter()));
        AsyncAnswer answer = new AsyncAnswer(request, response, "an agent's metrics batch");
        durable.whenComplete((result, failure) -> {
            if (failure == null) {
                remember(key);
                answer.send(() -> write(response, batch, Acknowledgement.Status.ACCEPTED));
            } else {
                answer.failed(request, failure);
            }
        });
    }

    private void write(HttpServletResponse response, MetricsBatchRequest batch, Acknowledgement.Status status) throws IOException {
        byte[] json = ProtocolJson.write(new MetricsBatchResponse(new Acknowledgement(batch.idempotencyKey(), status, clock.instant())));
        response.setStatus(HttpStatus.OK.value());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setContentLength(json.length);
        response.getOutputStream().write(json);
    }

    /**
     * Checks every sample; answers the samples with any {@code ci} label the agent sent renamed to
     * {@code exported_ci} (the server sets {@code ci}), as Prometheus does with conflicting labels.
     */
    private List<MetricSample> validated(MetricsBatchRequest batch) {
        List<FieldViolation> problems = new ArrayList<>();
        if (batch.idempotencyKey().isBlank() || batch.idempotencyKey().length() > 200) {
            problems.add(new FieldViolation("idempotencyKey", "must be 1 to 200 characters"));
        }
        if (batch.samples().size() > properties.maxSamplesPerBatch()) {
            throw new InvalidInputException("samples", "more than " + properties.maxSamplesPerBatch() + " samples in one batch");
        }
        Instant latest = clock.instant().plus(properties.maxFuture());
        List<MetricSample> out = new ArrayList<>(batch.samples().size());
        // The hot path of ingest: no per-sample strings, regexes or map copies unless a sample is bad or has a ci label.
        for (int i = 0; i < batch.samples().size() && problems.size() < 50; i++) {
            MetricSample s = batch.samples().get(i);
            if (s == null || s.name() == null || s.name().length() > MAX_NAME_LENGTH || !isName(s.name(), true)) {
                problems.add(new FieldViolation("samples[" + i + "].name", "must be a metric name ([a-zA-Z_:][a-zA-Z0-9_:]*, at most "
                        + MAX_NAME_LENGTH + " characters)"));
                continue;
            }
            if (s.timestamp() == null) {
                problems.add(new FieldViolation("samples[" + i + "].timestamp", "is required"));
            } else if (s.timestamp().isAfter(latest)) {
                problems.add(new FieldViolation("samples[" + i + "].timestamp", "is more than " + properties.maxFuture()
                        + " ahead of the server's clock (check the host's clock)"));
            }
            if (s.labels().size() > MAX_LABELS) {
                problems.add(new FieldViolation("samples[" + i + "].labels", "more than " + MAX_LABELS + " labels"));
            }
            for (Map.Entry<String, String> label : s.labels().entrySet()) {
                String name = label.getKey();
                String value = label.getValue();
                if (!isName(name, false) || name.startsWith("__")) {
                    problems.add(new FieldViolation("samples[" + i + "].labels." + name, "is not a valid label name"));
                } else if (value == null || value.length() > MAX_LABEL_VALUE_LENGTH) {
                    problems.add(new FieldViolation("samples[" + i + "].labels." + name, "must be at most "
                            + MAX_LABEL_VALUE_LENGTH + " characters"));
                }
            }
            if (s.labels().containsKey("ci")) {
                TreeMap<String, String> labels = new TreeMap<>(s.labels());
                labels.put("exported_ci", labels.remove("ci"));
                out.add(new MetricSample(s.name(), labels, s.timestamp(), s.value()));
            } else {
                out.add(s);
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        return out;
    }

    /**
     * {@code [a-zA-Z_:][a-zA-Z0-9_:]*} for a metric name, {@code [a-zA-Z_][a-zA-Z0-9_]*} for a
     * label name; a loop rather than a regex because it runs for every sample and label.
     */
    static boolean isName(String text, boolean metric) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (metric && c == ':')
                    || (i > 0 && c >= '0' && c <= '9');
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private boolean seen(String key) {
        synchronized (recentKeys) {
            return recentKeys.containsKey(key);
        }
    }

    private void remember(String key) {
        synchronized (recentKeys) {
            recentKeys.put(key, Boolean.TRUE);
        }
    }
}
