package io.opsbase.agents;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

import io.opsbase.agents.internal.AgentChannel;
import io.opsbase.agents.internal.DeliveryMarks;
import io.opsbase.agents.internal.TaskRepository;
import io.opsbase.platform.BadRequestException;
import io.opsbase.platform.InvalidInputException;
import io.opsbase.protocol.Acknowledgement;
import io.opsbase.protocol.AgentEndpoints;
import io.opsbase.protocol.EnrollRequest;
import io.opsbase.protocol.ProtocolJson;
import io.opsbase.protocol.ProtocolVersion;
import io.opsbase.protocol.TaskOutputRequest;
import io.opsbase.protocol.TaskOutputResponse;
import io.opsbase.protocol.TaskPollResponse;
import io.opsbase.protocol.SignedTask;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The agent side of the protocol ({@code /api/v1/agent/*}). Bodies are read and written with the
 * protocol module's own JSON settings ({@link ProtocolJson}), byte for byte what the agent signs
 * and expects, independent of the server's web JSON configuration.
 */
@RestController
class AgentProtocolController {

    static final int MAX_WAIT_SECONDS = 60;
    private static final int MAX_TASKS_PER_POLL = 50;
    /** The first protocol whose agents check tasks signed with a batch. */
    private static final ProtocolVersion BATCH_SIGNATURES = new ProtocolVersion(1, 1);
    /**
     * Answers woken polls. {@link AgentChannel#wake} (or {@code deliver}) completes the poll's future on the waker's
     * thread — for a job run, the thread that committed the run, once per host — so the answer
     * (a database read and the response) runs here instead: the run's 201 does not wait for
     * thousands of poll answers made one after the other, and the answers go out in parallel.
     */
    private static final java.util.concurrent.Executor ANSWERS = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();

    private final AgentService agents;
    private final TaskRepository tasks;
    private final AgentChannel channel;
    private final DeliveryMarks marks;
    private final java.time.Clock clock;
    private final org.springframework.context.ApplicationEventPublisher events;

    AgentProtocolController(AgentService agents, TaskRepository tasks, AgentChannel channel, DeliveryMarks marks, java.time.Clock clock,
            org.springframework.context.ApplicationEventPublisher events) {
        this.marks = marks;
        this.agents = agents;
        this.tasks = tasks;
        this.channel = channel;
        this.clock = clock;
        this.events = events;
    }

    @PostMapping(path = AgentEndpoints.ENROLL, consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<byte[]> enroll(@RequestBody byte[] body, HttpServletRequest request) {
        EnrollRequest enroll = read(body, EnrollRequest.class);
        return agents.enroll(enroll, request.getRemoteAddr())
                .map(r -> json(HttpStatus.CREATED, r))
                .orElseGet(() -> ResponseEntity.status(HttpStatus.UNAUTHORIZED)
                        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                        .body(ProtocolJson.write(new io.opsbase.protocol.Problem("/problems/enrollment-refused",
                                "Unauthorized", 401, "The enrollment token is unknown, expired, revoked or used up",
                                null, null))));
    }

    /**
     * Long-poll: answers at once when tasks are waiting, otherwise holds the request (no thread)
     * until a task is queued for this agent or {@code wait} seconds pass.
     */
    @GetMapping(AgentEndpoints.TASKS)
    DeferredResult<ResponseEntity<byte[]>> poll(@RequestParam(defaultValue = "30") int wait, Authentication auth,
            HttpServletRequest request) {
        if (wait < 0 || wait > MAX_WAIT_SECONDS) {
            throw new BadRequestException("wait must be between 0 and " + MAX_WAIT_SECONDS + " seconds");
        }
        long agentId = agentId(auth);
        java.time.Instant pollStart = clock.instant();
        // Register before reading, so a task committed in between wakes this poll instead of waiting a round.
        var woken = channel.await(agentId);
        List<String> ready = tasks.takeDeliverable(agentId, pollStart, clock.instant(), MAX_TASKS_PER_POLL);
        // The wait counts from the request's arrival: under load it can take seconds to get this far
        // (a carrier thread, a database connection), and the agent's timeout started when it sent.
        long holdMillis = Math.max(0, TimeUnit.SECONDS.toMillis(wait) - millisSinceArrival(request));
        var result = new DeferredResult<ResponseEntity<byte[]>>(holdMillis + 1000);
        boolean batchForm = knowsBatchSignatures(request);
        if (!ready.isEmpty() || holdMillis == 0) {
            woken.cancel(false);
            result.setResult(answer(ready, batchForm));
            return result;
        }
        woken.orTimeout(holdMillis, TimeUnit.MILLISECONDS).whenCompleteAsync((wake, e) -> {
            if (e == null && wake.signedTask() != null) {
                // Handed over as committed: answered without reading it back; marked delivered only if this answer went out.
                if (result.setResult(answer(List.of(wake.signedTask()), batchForm))) {
                    marks.delivered(wake.taskId());
                }
                return;
            }
            List<String> now = e == null ? tasks.takeDeliverable(agentId, pollStart, clock.instant(), MAX_TASKS_PER_POLL) : List.of();
            result.setResult(answer(now, batchForm));
        }, ANSWERS);
        result.onTimeout(() -> result.setResult(answer(List.of())));
        result.onCompletion(() -> woken.cancel(false));
        return result;
    }

    /**
     * Whether the polling agent checks batch signatures (protocol 1.1 on). An agent that says it
     * speaks 1.0 gets every task signed alone ({@link AgentService#signedAlone}); one that sends no
     * version is taken to speak this server's.
     */
    private static boolean knowsBatchSignatures(HttpServletRequest request) {
        String version = request.getHeader(ProtocolVersion.HEADER);
        if (version == null) {
            return true;
        }
        try {
            return ProtocolVersion.parse(version.strip()).compareTo(BATCH_SIGNATURES) >= 0;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private ResponseEntity<byte[]> answer(List<String> signedTasks, boolean batchForm) {
        return answer(batchForm ? signedTasks : signedTasks.stream().map(agents::signedAlone).toList());
    }

    private static long millisSinceArrival(HttpServletRequest request) {
        return request.getAttribute(io.opsbase.agents.internal.AgentSignatureFilter.RECEIVED_AT_NANOS) instanceof Long at
                ? TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - at) : 0;
    }

    @PostMapping(path = AgentEndpoints.TASKS + "/{taskId}/output", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<byte[]> output(@PathVariable long taskId, @RequestBody byte[] body, Authentication auth) {
        long agentId = agentId(auth);
        TaskOutputRequest out = read(body, TaskOutputRequest.class);
        if (!Long.toString(taskId).equals(out.taskId())) {
            throw new InvalidInputException("taskId", "does not match the path");
        }
        // Listeners (the jobs feature) record the chunk before it is acknowledged; one that fails
        // fails this request, and the agent sends the chunk again.
        events.publishEvent(new AgentTaskReported(agentId, taskId, out));
        String chunk = (out.stdout() == null ? "" : out.stdout()) + (out.stderr() == null ? "" : out.stderr());
        boolean stored = tasks.appendOutput(taskId, agentId, chunk, out.last(), out.exitCode(), clock.instant());
        if (!stored) {
            if (!tasks.isCompleted(taskId, agentId)) {
                agents.task(agentId, taskId); // 404 when it is not this agent's task
            }
            return json(HttpStatus.OK, new TaskOutputResponse(new Acknowledgement(out.idempotencyKey(),
                    Acknowledgement.Status.DUPLICATE, clock.instant())));
        }
        return json(HttpStatus.OK, new TaskOutputResponse(new Acknowledgement(out.idempotencyKey(),
                Acknowledgement.Status.ACCEPTED, clock.instant())));
    }

    /**
     * The {@link TaskPollResponse} JSON, put together from the tasks' stored JSON (each written by
     * {@code ProtocolJson} from a {@link SignedTask} when it was queued) instead of parsing and
     * writing each again: {@code {"tasks":[…]}} is all the record holds.
     */
    private static ResponseEntity<byte[]> answer(List<String> signedTasks) {
        var body = new StringBuilder(16 + signedTasks.stream().mapToInt(String::length).sum() + signedTasks.size());
        body.append("{\"tasks\":[");
        for (int i = 0; i < signedTasks.size(); i++) {
            body.append(i == 0 ? "" : ",").append(signedTasks.get(i));
        }
        body.append("]}");
        return ResponseEntity.status(HttpStatus.OK).contentType(MediaType.APPLICATION_JSON)
                .body(body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static long agentId(Authentication auth) {
        return Long.parseLong(auth.getName().substring("agent:".length()));
    }

    static <T> T read(byte[] body, Class<T> type) {
        try {
            return ProtocolJson.read(body, type);
        } catch (RuntimeException e) {
            // Jackson wraps record-constructor checks (missing fields) in its own exceptions.
            throw new BadRequestException("the body is not a valid " + type.getSimpleName() + ": "
                    + rootMessage(e));
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    private static ResponseEntity<byte[]> json(HttpStatus status, Object body) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(ProtocolJson.write(body));
    }

    static Duration maxWait() {
        return Duration.ofSeconds(MAX_WAIT_SECONDS);
    }
}
