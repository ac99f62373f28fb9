package io.opsbase.jobs;

import java.net.URI;
import java.util.List;

import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import io.opsbase.jobs.internal.RunStream;
import io.opsbase.platform.InvalidInputException;
import io.opsbase.platform.Page;

/**
 * Runs ({@code /api/v1/runs}). Reading needs any role; starting, approving, confirming and
 * cancelling need operator or admin (the security configuration's rule for every non-GET call).
 */
@RestController
class RunApiController {

    private final RunLauncher launcher;
    private final RunControl control;
    private final JobRunService runs;
    private final TargetPreview preview;
    private final RunStream stream;

    RunApiController(RunLauncher launcher, RunControl control, JobRunService runs, TargetPreview preview, RunStream stream) {
        this.launcher = launcher;
        this.control = control;
        this.runs = runs;
        this.preview = preview;
        this.stream = stream;
    }

    @PostMapping("/api/v1/runs")
    ResponseEntity<JobRun> create(@RequestBody RunRequest request, Authentication auth) {
        long id = launcher.launch(request, auth.getName());
        return ResponseEntity.created(URI.create("/api/v1/runs/" + id)).body(runs.get(id));
    }

    /** {@code {"targets": {...}}}: how many hosts and which business services a run would touch. */
    record PreviewRequest(Targets targets) {
    }

    @PostMapping("/api/v1/runs/preview")
    RunPreview preview(@RequestBody PreviewRequest request) {
        if (request == null) {
            throw new InvalidInputException("targets", "is required");
        }
        return preview.preview(request.targets());
    }

    @GetMapping("/api/v1/runs")
    Page<JobRun> list(@RequestParam(required = false) String state, @RequestParam(required = false) String cursor,
            @RequestParam(defaultValue = "50") int limit) {
        return runs.list(state, cursor, limit);
    }

    @GetMapping("/api/v1/runs/{id}")
    RunDetail get(@PathVariable long id, @RequestParam(defaultValue = "100") int hostLimit,
            @RequestParam(required = false) String hostCursor) {
        return runs.detail(id, hostLimit, hostCursor);
    }

    @GetMapping("/api/v1/runs/{id}/hosts/{ciId}/log")
    HostLog log(@PathVariable long id, @PathVariable long ciId, @RequestParam(required = false) Integer step) {
        return runs.log(id, ciId, step);
    }

    /** Server-sent events: {@code run}, {@code host} and {@code output} as they happen (see {@link RunStream}). */
    @GetMapping(path = "/api/v1/runs/{id}/events", produces = "text/event-stream")
    SseEmitter events(@PathVariable long id) {
        return stream.subscribe(id, java.util.Map.of("state", runs.get(id).state().key()));
    }

    @PostMapping("/api/v1/runs/{id}/cancel")
    JobRun cancel(@PathVariable long id, Authentication auth) {
        control.cancel(id, auth.getName());
        return runs.get(id);
    }

    @PostMapping("/api/v1/runs/{id}/confirm")
    JobRun confirm(@PathVariable long id, Authentication auth) {
        control.confirm(id, auth.getName());
        return runs.get(id);
    }

    @PostMapping("/api/v1/runs/{id}/approve")
    JobRun approve(@PathVariable long id, Authentication auth) {
        control.approve(id, auth.getName(), isAdmin(auth));
        return runs.get(id);
    }

    @PostMapping("/api/v1/runs/{id}/rerun-failed")
    ResponseEntity<JobRun> rerunFailed(@PathVariable long id, Authentication auth) {
        List<Long> failed = runs.notSucceeded(id);
        long rerun = launcher.rerunFailed(id, failed, auth.getName());
        return ResponseEntity.created(URI.create("/api/v1/runs/" + rerun)).body(runs.get(rerun));
    }

    static boolean isAdmin(Authentication auth) {
        return auth.getAuthorities().stream().anyMatch(a -> "ROLE_ADMIN".equals(a.getAuthority()));
    }
}
