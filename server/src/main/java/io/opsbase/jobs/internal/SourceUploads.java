package io.opsbase.jobs.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

import io.opsbase.agents.AgentInfo;
import io.opsbase.agents.AgentService;
import io.opsbase.files.FileStore;
import io.opsbase.jobs.JobEvent;
import io.opsbase.jobs.JobStep;
import io.opsbase.jobs.JobsProperties;
import io.opsbase.jobs.internal.FileSourceRepository.FileSourceRow;
import io.opsbase.protocol.Task;
import io.opsbase.protocol.TaskOutputRequest;

/**
 * The source host's side of a file step "from one host to the others": sends its agent the
 * {@code file-upload} task when the step comes up, reads the upload's report (the
 * {@code sha256=… size=…} line, checked against the file store), and gives the step its stored
 * file. It only records; {@link RunEngine} decides what the run does next. Every method runs in
 * the caller's transaction with the run locked.
 */
@Component
class SourceUploads {

    private static final Pattern STORED_LINE = Pattern.compile("(?m)^sha256=([0-9a-f]{64}) size=(\\d{1,18})$");

    private final FileSourceRepository sources;
    private final AgentService agents;
    private final FileStore files;
    private final RunStream stream;
    private final ApplicationEventPublisher events;
    private final JobsProperties properties;
    private final Clock clock;

    SourceUploads(FileSourceRepository sources, AgentService agents, FileStore files, RunStream stream,
            ApplicationEventPublisher events, JobsProperties properties, Clock clock) {
        this.sources = sources;
        this.agents = agents;
        this.files = files;
        this.stream = stream;
        this.events = events;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * What a report or a deadline changed: nothing (a repeat, or already decided), the upload
     * stored ({@code failure} null), or failed ({@code failure} says why, for the run's outcome).
     */
    record Change(boolean changed, String failure) {

        static final Change NONE = new Change(false, null);
    }

    /**
     * Where the step's upload is: true once stored. The first time, sends the upload task; a source
     * CI without an agent fails at once ({@code onFailure} gets the reason).
     */
    boolean stored(RunRow run, int step, JobStep s, Instant now, java.util.function.Consumer<String> onFailure) {
        var found = sources.find(run.id(), step);
        if (found.isPresent()) {
            return FileSourceRepository.STORED.equals(found.get().state());
        }
        var source = s.file().source();
        AgentInfo agent = agents.boundTo(List.of(source.ciId())).get(source.ciId());
        if (agent == null) {
            String message = "the source host (CI " + source.ciId() + ") has no agent to upload " + source.path();
            sources.insertFailed(run.id(), step, source.ciId(), source.path(), message, now);
            onFailure.accept(message);
            return false;
        }
        var task = agents.send(agent.id(), Task.FILE_UPLOAD, Map.of("path", source.path()));
        Instant deadline = now.plusSeconds(s.timeout()).plus(properties.lostGrace());
        sources.insertUploading(run.id(), step, source.ciId(), source.path(), agent.id(), task.id(), now, deadline);
        events.publishEvent(JobEvent.run("job.file.source-requested", run.id(), "step " + (step + 1) + ": CI " + source.ciId()
                + " uploads " + source.path(), "system"));
        stream.publish(run.id(), "source", Map.of("step", step, "ciId", source.ciId(), "state", FileSourceRepository.UPLOADING));
        return false;
    }

    /** The step as its hosts run it: a file from a host becomes the file its source stored. */
    JobStep resolved(long runId, int step, JobStep s) {
        if (s.file() == null || !s.file().fromHost()) {
            return s;
        }
        FileSourceRow source = sources.find(runId, step).filter(r -> FileSourceRepository.STORED.equals(r.state()))
                .orElseThrow(() -> new IllegalStateException("run " + runId + " step " + step + " has no stored source file"));
        var f = s.file();
        return new JobStep(s.kind(), s.name(), s.language(), s.script(), s.timeoutSeconds(),
                new JobStep.FileSpec(source.sha256(), source.size(), f.path(), f.mode(), f.owner(), f.group()));
    }

    /**
     * The upload's last chunk: exited 0 with a {@code sha256=… size=…} line naming a file the store
     * holds is stored; anything else fails, with the agent's reason.
     */
    Change reported(RunRow run, FileSourceRow source, TaskOutputRequest last) {
        Instant now = clock.instant();
        String outcome = last.outcome() == null ? TaskOutputRequest.OUTCOME_EXITED : last.outcome();
        String[] stored = storedLine(last.stdout());
        String failure = null;
        if (!TaskOutputRequest.OUTCOME_EXITED.equals(outcome) || last.exitCode() == null || last.exitCode() != 0) {
            failure = outcome + (last.exitCode() == null ? "" : " with exit code " + last.exitCode())
                    + (last.stderr() == null || last.stderr().isBlank() ? "" : ": " + last.stderr().strip());
        } else if (stored == null) {
            failure = "its agent did not say what it stored";
        } else if (files.find(stored[0]).filter(f -> f.size() == Long.parseLong(stored[1])).isEmpty()) {
            failure = "the file store holds no file " + stored[0] + " of " + stored[1] + " bytes";
        }
        if (failure != null) {
            String message = "the source host (CI " + source.ciId() + ") could not upload " + source.path() + ": " + failure;
            return sources.failed(run.id(), source.step(), message, now) ? new Change(true, message) : Change.NONE;
        }
        if (!sources.stored(run.id(), source.step(), stored[0], Long.parseLong(stored[1]), now)) {
            return Change.NONE;
        }
        events.publishEvent(JobEvent.run("job.file.source-stored", run.id(), "step " + (source.step() + 1) + ": "
                + source.path() + " from CI " + source.ciId() + " stored as " + stored[0] + " (" + stored[1] + " bytes)", "system"));
        stream.publish(run.id(), "source", Map.of("step", source.step(), "ciId", source.ciId(), "state", FileSourceRepository.STORED,
                "sha256", stored[0]));
        return new Change(true, null);
    }

    /** The source's agent did not report within the step timeout plus grace. */
    Change lost(RunRow run, FileSourceRow source) {
        String message = "the source host (CI " + source.ciId() + ") did not report its upload of " + source.path()
                + " within the step timeout and " + properties.lostGrace().toSeconds() + " s grace";
        return sources.failed(run.id(), source.step(), message, clock.instant()) ? new Change(true, message) : Change.NONE;
    }

    /** {@code sha256=<hex> size=<bytes>}, the upload handler's last line, as [sha256, size]; null when absent. */
    static String[] storedLine(String stdout) {
        if (stdout == null) {
            return null;
        }
        var m = STORED_LINE.matcher(stdout);
        String[] found = null;
        while (m.find()) {
            found = new String[] {m.group(1), m.group(2)};
        }
        return found;
    }
}
