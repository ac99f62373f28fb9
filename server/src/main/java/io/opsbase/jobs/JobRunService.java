package io.opsbase.jobs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.opsbase.cmdb.CiService;
import io.opsbase.jobs.RunDetail.FileSource;
import io.opsbase.jobs.internal.FileSourceRepository;
import io.opsbase.jobs.internal.HostTaskRepository;
import io.opsbase.jobs.internal.HostTaskRow;
import io.opsbase.jobs.internal.JobJson;
import io.opsbase.jobs.internal.OutputRepository;
import io.opsbase.jobs.internal.ParameterBinder;
import io.opsbase.jobs.internal.RunRepository;
import io.opsbase.jobs.internal.RunRow;
import io.opsbase.platform.BadRequestException;
import io.opsbase.platform.NotFoundException;
import io.opsbase.platform.Page;

/** Reading runs: history, one run with its hosts and result groups, one host's log. Secrets never leave masked. */
@Service
public class JobRunService {

    public static final int MAX_HOSTS = 5000;
    /** Hosts on one page of a run when the caller does not say. */
    public static final int DEFAULT_HOSTS = 100;
    static final int SAMPLE_CHARS = 2000;
    static final int GROUP_MEMBERS = 50;

    private final RunRepository runs;
    private final HostTaskRepository tasks;
    private final OutputRepository output;
    private final ParameterBinder parameters;
    private final FileSourceRepository sources;
    private final CiService cis;

    JobRunService(RunRepository runs, HostTaskRepository tasks, OutputRepository output, ParameterBinder parameters,
            FileSourceRepository sources, CiService cis) {
        this.sources = sources;
        this.cis = cis;
        this.runs = runs;
        this.tasks = tasks;
        this.output = output;
        this.parameters = parameters;
    }

    @Transactional(readOnly = true)
    public Page<JobRun> list(String state, String cursor, int limit) {
        if (state != null) {
            try {
                RunState.of(state);
            } catch (IllegalArgumentException e) {
                throw new BadRequestException("state must be one of awaiting_approval, running, awaiting_confirmation, succeeded, failed, cancelled");
            }
        }
        Long before = null;
        if (cursor != null) {
            try {
                before = Long.parseLong(cursor);
            } catch (NumberFormatException e) {
                throw new BadRequestException("cursor is not one this API issued");
            }
        }
        int size = Math.clamp(limit <= 0 ? 50 : limit, 1, 500);
        List<RunRow> rows = new ArrayList<>(runs.list(state, before, size + 1));
        String next = null;
        if (rows.size() > size) {
            rows = rows.subList(0, size);
            next = Long.toString(rows.getLast().id());
        }
        return new Page<>(rows.stream().map(this::view).toList(), next, runs.count(state));
    }

    @Transactional(readOnly = true)
    public JobRun get(long id) {
        return view(row(id));
    }

    @Transactional(readOnly = true)
    public RunDetail detail(long id, int hostLimit) {
        return detail(id, hostLimit, null);
    }

    /**
     * The run, the page of its hosts after {@code hostCursor} (a {@code hostsNext} this method
     * gave; null for the first page) and every result group.
     */
    @Transactional(readOnly = true)
    public RunDetail detail(long id, int hostLimit, String hostCursor) {
        RunRow row = row(id);
        int limit = Math.clamp(hostLimit <= 0 ? DEFAULT_HOSTS : hostLimit, 1, MAX_HOSTS);
        Integer afterPosition = null;
        Long afterCi = null;
        if (hostCursor != null && !hostCursor.isBlank()) {
            try {
                String[] p = hostCursor.split("\\.", 2);
                afterPosition = Integer.parseInt(p[0]);
                afterCi = Long.parseLong(p[1]);
            } catch (RuntimeException e) {
                throw new BadRequestException("hostCursor is not one this API issued");
            }
        }
        List<HostTaskRow> page = tasks.latest(id, afterPosition, afterCi, limit + 1);
        boolean truncated = page.size() > limit;
        if (truncated) {
            page = page.subList(0, limit);
        }
        String next = truncated ? page.getLast().position() + "." + page.getLast().ciId() : null;
        List<ResultGroup> groups = new ArrayList<>();
        for (var g : tasks.groups(id, 100)) {
            String sample = sample(g.firstTaskId());
            groups.add(new ResultGroup(HostTaskState.of(g.state()), g.exitCode(), g.outputHash(), g.count(), sample,
                    tasks.groupMembers(id, g, GROUP_MEMBERS)));
        }
        Map<Long, String> names = cis.names(page.stream().map(HostTaskRow::ciId).toList());
        List<HostResult> hosts = page.stream().map(t -> result(t, names.get(t.ciId()))).toList();
        List<FileSource> fileSources = sources.ofRun(id).stream().map(r -> new FileSource(r.step(), r.ciId(),
                cis.names(List.of(r.ciId())).get(r.ciId()), r.path(), r.state(), r.sha256(), r.size(), r.message())).toList();
        return new RunDetail(view(row), hosts, truncated, next, groups, fileSources);
    }

    @Transactional(readOnly = true)
    public List<Long> notSucceeded(long id) {
        row(id);
        return tasks.notSucceeded(id);
    }

    @Transactional(readOnly = true)
    public HostLog log(long runId, long ciId, Integer step) {
        row(runId);
        HostTaskRow t = tasks.forHost(runId, ciId, step)
                .orElseThrow(() -> new NotFoundException("Host " + ciId + " of run", runId));
        StringBuilder out = new StringBuilder();
        StringBuilder err = new StringBuilder();
        for (var c : output.chunks(t.id())) {
            if (c.stdout() != null) {
                out.append(c.stdout());
            }
            if (c.stderr() != null) {
                err.append(c.stderr());
            }
        }
        return new HostLog(runId, ciId, t.step(), t.state(), t.exitCode(), t.outcome(), t.truncated(), out.toString(),
                err.toString());
    }

    private String sample(long taskId) {
        StringBuilder s = new StringBuilder();
        for (var c : output.chunks(taskId)) {
            s.append(c.stdout() == null ? "" : c.stdout()).append(c.stderr() == null ? "" : c.stderr());
            if (s.length() > SAMPLE_CHARS) {
                return s.substring(0, SAMPLE_CHARS);
            }
        }
        return s.toString();
    }

    private RunRow row(long id) {
        return runs.find(id).orElseThrow(() -> new NotFoundException("Run", id));
    }

    private JobRun view(RunRow r) {
        JobDefinition plan = JobJson.read(r.plan(), JobDefinition.class);
        Map<String, Integer> counts = new LinkedHashMap<>(tasks.latestCounts(r.id()));
        int reached = counts.values().stream().mapToInt(Integer::intValue).sum();
        if (reached < r.hostCount()) {
            counts.put("waiting", r.hostCount() - reached);
        }
        return new JobRun(r.id(), r.name(), r.state(), r.templateId(), r.templateVersion(), r.parentRunId(), plan.steps(),
                plan.strategy(), parameters.masked(plan.parameters(), JobJson.readStrings(r.parameters())), r.requestedBy(),
                r.approvedBy(), r.cancelledBy(), r.policyVerdict(), r.policySummary(), r.currentStep(), r.currentBatch(),
                r.hold(), r.outcome(), r.hostCount(), counts, r.createdAt(), r.startedAt(), r.finishedAt());
    }

    private static HostResult result(HostTaskRow t, String ciName) {
        Long duration = t.startedAt() != null && t.finishedAt() != null
                ? Duration.between(t.startedAt(), t.finishedAt()).toMillis() : null;
        Integer percent = t.progressTotal() == null ? null
                : t.progressTotal() == 0 ? 100 : (int) (t.progressBytes() * 100 / t.progressTotal());
        return new HostResult(t.ciId(), ciName, t.step(), t.batch(), t.state(), t.exitCode(), t.outcome(), t.truncated(),
                t.outputBytes(), t.outputHash(), t.startedAt(), t.finishedAt(), duration, t.progressBytes(), t.progressTotal(), percent);
    }
}
