package io.opsbase.agent.json;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.opsbase.agent.state.AgentState;
import io.opsbase.protocol.Acknowledgement;
import io.opsbase.protocol.EnrollRequest;
import io.opsbase.protocol.EnrollResponse;
import io.opsbase.protocol.HostFingerprint;
import io.opsbase.protocol.Problem;
import io.opsbase.protocol.ProtocolVersion;
import io.opsbase.protocol.SignedTask;
import io.opsbase.protocol.Task;
import io.opsbase.protocol.TaskBatchProof;
import io.opsbase.protocol.TaskOutputRequest;
import io.opsbase.protocol.TaskPollResponse;

/**
 * The protocol records the long-running agent sends and receives, to and from {@link Json} — the
 * same JSON {@code ProtocolJson} (Jackson) reads and writes: record components as members, nulls
 * written, unknown members ignored, instants as ISO-8601 text, enums by name. {@code MessagesTest}
 * checks every mapping against Jackson. Malformed input throws {@link IllegalArgumentException}.
 */
public final class Messages {

    /** The prefix of a task's signed bytes; {@code TaskSigner.PREFIX} in the protocol module. */
    private static final String TASK_SIGNATURE_PREFIX = "opsbase-task-v1\n";

    private Messages() {
    }

    public static byte[] enrollRequest(EnrollRequest request) {
        var m = new LinkedHashMap<String, Object>();
        m.put("enrollToken", request.enrollToken());
        m.put("fingerprint", hostFingerprint(request.fingerprint()));
        m.put("agentVersion", request.agentVersion());
        m.put("protocolVersion", version(request.protocolVersion()));
        return Json.write(m);
    }

    public static Map<String, Object> hostFingerprint(HostFingerprint fingerprint) {
        var m = new LinkedHashMap<String, Object>();
        m.put("machineId", fingerprint.machineId());
        m.put("systemManufacturer", fingerprint.systemManufacturer());
        m.put("systemSerial", fingerprint.systemSerial());
        m.put("smbiosUuid", fingerprint.smbiosUuid());
        m.put("macAddresses", fingerprint.macAddresses());
        m.put("hostname", fingerprint.hostname());
        return m;
    }

    public static HostFingerprint hostFingerprint(Object json) {
        var m = object(json);
        var macs = new ArrayList<String>();
        for (var mac : list(m.get("macAddresses"))) {
            macs.add((String) mac);
        }
        return new HostFingerprint(text(m, "machineId"), text(m, "systemManufacturer"), text(m, "systemSerial"), text(m, "smbiosUuid"),
                macs, text(m, "hostname"));
    }

    public static EnrollResponse enrollResponse(byte[] json) {
        var m = object(Json.parse(json));
        var approval = text(m, "approval");
        var version = m.get("protocolVersion");
        return new EnrollResponse(text(m, "agentId"), text(m, "secret"), text(m, "serverPublicKey"),
                approval == null ? null : EnrollResponse.Approval.valueOf(approval), version == null ? null : version(version));
    }

    public static TaskPollResponse taskPollResponse(byte[] json) {
        var m = object(Json.parse(json));
        var tasks = new ArrayList<SignedTask>();
        for (var element : list(m.get("tasks"))) {
            var signed = object(element);
            var batch = signed.get("batch");
            tasks.add(new SignedTask(task(object(signed.get("task"))), text(signed, "signature"), batch == null ? null : batchProof(object(batch))));
        }
        return new TaskPollResponse(tasks);
    }

    /** A batch-signed task's audit path; a malformed one is kept as it came, and fails verification. */
    private static TaskBatchProof batchProof(Map<String, Object> m) {
        var path = new ArrayList<String>();
        for (var hash : list(m.get("path"))) {
            path.add(hash instanceof String text ? text : null);
        }
        return new TaskBatchProof(m.get("leafIndex") instanceof Long index ? index : -1, m.get("treeSize") instanceof Long size ? size : 0, path);
    }

    private static Task task(Map<String, Object> m) {
        var parameters = new LinkedHashMap<String, String>();
        var given = m.get("parameters");
        if (given != null) {
            object(given).forEach((name, value) -> parameters.put(name, (String) value));
        }
        return new Task(text(m, "taskId"), text(m, "agentId"), text(m, "type"), parameters, instant(m, "issuedAt"), instant(m, "expiresAt"));
    }

    /**
     * The bytes a task's Ed25519 signature covers when the task is signed alone, and whose hash is
     * its leaf when signed with a batch: {@code opsbase-task-v1\n} and the task's canonical JSON
     * (members sorted by name, no whitespace) — {@code TaskSigner.canonical} in the protocol module.
     */
    public static byte[] taskSignedBytes(Task task) {
        var m = new TreeMap<String, Object>();
        m.put("taskId", task.taskId());
        m.put("agentId", task.agentId());
        m.put("type", task.type());
        m.put("parameters", new TreeMap<>(task.parameters()));
        m.put("issuedAt", Timestamps.format(task.issuedAt()));
        m.put("expiresAt", Timestamps.format(task.expiresAt()));
        var out = new StringBuilder(TASK_SIGNATURE_PREFIX);
        Json.append(out, m);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] taskOutputRequest(TaskOutputRequest request) {
        var m = new LinkedHashMap<String, Object>();
        m.put("idempotencyKey", request.idempotencyKey());
        m.put("taskId", request.taskId());
        m.put("sequence", request.sequence());
        m.put("stdout", request.stdout());
        m.put("stderr", request.stderr());
        m.put("last", request.last());
        m.put("exitCode", request.exitCode());
        m.put("startedAt", request.startedAt() == null ? null : Timestamps.format(request.startedAt()));
        m.put("finishedAt", request.finishedAt() == null ? null : Timestamps.format(request.finishedAt()));
        m.put("truncated", request.truncated());
        m.put("outcome", request.outcome());
        m.put("progressBytes", request.progressBytes());
        m.put("progressTotal", request.progressTotal());
        return Json.write(m);
    }

    /** The {@code acknowledgement} member every report response has; null when it is missing. */
    public static Acknowledgement acknowledgement(byte[] json) {
        var ack = object(Json.parse(json)).get("acknowledgement");
        if (ack == null) {
            return null;
        }
        var m = object(ack);
        return new Acknowledgement(text(m, "idempotencyKey"), Acknowledgement.Status.valueOf(text(m, "status")), instant(m, "receivedAt"));
    }

    public static Problem problem(byte[] json) {
        var m = object(Json.parse(json));
        var status = m.get("status");
        var skew = m.get("skewSeconds");
        return new Problem(text(m, "type"), text(m, "title"), status instanceof Long number ? number.intValue() : 0, text(m, "detail"),
                text(m, "reason"), skew instanceof Long number ? number : null);
    }

    public static byte[] agentState(AgentState state) {
        var m = new LinkedHashMap<String, Object>();
        m.put("serverUrl", state.serverUrl());
        m.put("agentId", state.agentId());
        m.put("secret", state.secret());
        m.put("serverPublicKey", state.serverPublicKey());
        return Json.write(m);
    }

    public static AgentState agentState(byte[] json) {
        var m = object(Json.parse(json));
        return new AgentState(text(m, "serverUrl"), text(m, "agentId"), text(m, "secret"), text(m, "serverPublicKey"));
    }

    private static Map<String, Object> version(ProtocolVersion version) {
        var m = new LinkedHashMap<String, Object>();
        m.put("major", version.major());
        m.put("minor", version.minor());
        return m;
    }

    private static ProtocolVersion version(Object json) {
        var m = object(json);
        return new ProtocolVersion(number(m, "major"), number(m, "minor"));
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(Object json) {
        if (json instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new IllegalArgumentException("expected a JSON object, found " + (json == null ? "null" : json.getClass().getSimpleName()));
    }

    private static List<?> list(Object json) {
        if (json == null) {
            return List.of();
        }
        if (json instanceof List<?> list) {
            return list;
        }
        throw new IllegalArgumentException("expected a JSON array");
    }

    public static String text(Map<String, Object> m, String name) {
        var value = m.get(name);
        if (value == null || value instanceof String) {
            return (String) value;
        }
        throw new IllegalArgumentException(name + " must be a string");
    }

    private static int number(Map<String, Object> m, String name) {
        if (m.get(name) instanceof Long number) {
            return Math.toIntExact(number);
        }
        throw new IllegalArgumentException(name + " must be an integer");
    }

    public static Instant instant(Map<String, Object> m, String name) {
        var value = text(m, name);
        return value == null ? null : Timestamps.parse(value);
    }

    /** {@code MetricsBatchRequest}: non-finite values as Jackson writes them ({@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}). */
    public static byte[] metricsBatchRequest(io.opsbase.protocol.MetricsBatchRequest batch) {
        var samples = new java.util.ArrayList<Object>(batch.samples().size());
        for (var sample : batch.samples()) {
            var s = new java.util.LinkedHashMap<String, Object>();
            s.put("name", sample.name());
            s.put("labels", new java.util.LinkedHashMap<String, Object>(sample.labels()));
            s.put("timestamp", Timestamps.format(sample.timestamp()));
            double v = sample.value();
            s.put("value", Double.isNaN(v) ? "NaN" : v == Double.POSITIVE_INFINITY ? "Infinity"
                    : v == Double.NEGATIVE_INFINITY ? "-Infinity" : (Object) v);
            samples.add(s);
        }
        var m = new java.util.LinkedHashMap<String, Object>();
        m.put("idempotencyKey", batch.idempotencyKey());
        m.put("samples", samples);
        return Json.write(m);
    }

    /** {@code ConfigResponse}, with ISO-8601 durations ({@code PT10S}, {@code PT24H}). */
    public static io.opsbase.protocol.ConfigResponse configResponse(byte[] json) {
        var m = object(Json.parse(json));
        var items = new java.util.ArrayList<io.opsbase.protocol.MonitoringItem>();
        for (Object o : list(m.get("items"))) {
            var i = object(o);
            var args = new java.util.ArrayList<String>();
            for (Object a : list(i.get("arguments"))) {
                args.add((String) a);
            }
            long max = i.get("maxOutputBytes") instanceof Long n ? n : 0;
            items.add(new io.opsbase.protocol.MonitoringItem(text(i, "key"), text(i, "type"), text(i, "target"), args,
                    duration(text(i, "interval")), i.get("timeout") == null ? null : duration(text(i, "timeout")), (int) max,
                    text(i, "account")));
        }
        var settings = new java.util.LinkedHashMap<String, String>();
        if (m.get("settings") != null) {
            object(m.get("settings")).forEach((k, v) -> settings.put(k, String.valueOf(v)));
        }
        int longPoll = m.get("longPollSeconds") instanceof Long n ? Math.toIntExact(n) : 30;
        return new io.opsbase.protocol.ConfigResponse(text(m, "etag"),
                m.get("inventoryInterval") == null ? null : duration(text(m, "inventoryInterval")), longPoll, settings, items);
    }

    /** ISO-8601 {@code PT#H#M#S} (seconds may have a fraction), as Jackson writes a {@link java.time.Duration}; no regex. */
    static java.time.Duration duration(String text) {
        if (text == null || !text.startsWith("PT")) {
            throw new IllegalArgumentException("not a duration: " + text);
        }
        long millis = 0;
        int start = 2;
        for (int i = 2; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 'H' || c == 'M' || c == 'S') {
                double n = Double.parseDouble(text.substring(start, i));
                millis += Math.round(n * (c == 'H' ? 3_600_000 : c == 'M' ? 60_000 : 1000));
                start = i + 1;
            }
        }
        if (start != text.length()) {
            throw new IllegalArgumentException("not a duration: " + text);
        }
        return java.time.Duration.ofMillis(millis);
    }
}
