package io.opsbase.jobs;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import io.opsbase.agents.AgentService;
import io.opsbase.files.FileStore;
import io.opsbase.jobs.internal.JobJson;
import io.opsbase.jobs.internal.ParameterBinder;
import io.opsbase.jobs.internal.RunEngine;
import io.opsbase.jobs.internal.RunRepository;
import io.opsbase.jobs.internal.TargetResolver;
import io.opsbase.jobs.internal.JobTemplateRepository;
import io.opsbase.jobs.policy.CommandPolicy;
import io.opsbase.jobs.policy.PolicyDecision;
import io.opsbase.jobs.policy.PolicyRequest;
import io.opsbase.jobs.policy.Verdict;
import io.opsbase.platform.InvalidInputException;
import io.opsbase.platform.InvalidInputException.FieldViolation;
import io.opsbase.platform.NotFoundException;

/**
 * Starts runs: checks the request, fills in parameters, resolves the targets, asks the
 * dangerous-command policy about every script as it will run, stores the run with its hosts and
 * starts it (or parks it for approval). A blocked run is refused (422 naming the rule) and its
 * verdict still audited.
 */
@Service
public class RunLauncher {

    private final JobTemplateRepository templates;
    private final RunRepository runs;
    private final RunEngine engine;
    private final TargetResolver targets;
    private final ParameterBinder parameters;
    private final FileStore files;
    private final CommandPolicy policy;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate tx;
    private final AgentService agents;
    private final Clock clock;

    RunLauncher(JobTemplateRepository templates, RunRepository runs, RunEngine engine, TargetResolver targets,
            ParameterBinder parameters, FileStore files, CommandPolicy policy, ApplicationEventPublisher events,
            TransactionTemplate tx, AgentService agents, Clock clock) {
        this.agents = agents;
        this.templates = templates;
        this.runs = runs;
        this.engine = engine;
        this.targets = targets;
        this.parameters = parameters;
        this.files = files;
        this.policy = policy;
        this.events = events;
        this.tx = tx;
        this.clock = clock;
    }

    /** What the request would run, checked; a template's version chosen. */
    record Plan(String name, JobDefinition definition, Long templateId, Integer templateVersion) {
    }

    public long launch(RunRequest request, String actor) {
        if (request == null) {
            throw new InvalidInputException("body", "is required");
        }
        Plan plan = plan(request);
        Map<String, String> values = parameters.bind(plan.definition().parameters(), request.parameters());
        Targets asked = request.targets() != null ? request.targets() : plan.definition().targets();
        List<Long> hosts = targets.resolve(asked);
        checkFiles(plan.definition(), request.file() != null);
        PolicyDecision decision = evaluate(plan.definition(), values, hosts, actor);
        String summary = summary(decision, secretsOf(plan.definition(), values));
        if (decision.verdict() == Verdict.BLOCK) {
            tx.executeWithoutResult(s -> events.publishEvent(new JobEvent("job.policy.blocked", "job-run", null,
                    plan.name() + " on " + hosts.size() + " hosts: " + summary, actor)));
            throw new InvalidInputException("script", "blocked by the dangerous-command policy: " + summary);
        }
        RunState state = decision.verdict() == Verdict.REQUIRE_APPROVAL ? RunState.AWAITING_APPROVAL : RunState.RUNNING;
        String sealed = JobJson.write(parameters.seal(plan.definition().parameters(), values));
        return start(plan, sealed, asked, hosts, state, decision.verdict().name(), summary, null, actor);
    }

    /** A new run of the same plan and parameters on the hosts of {@code runId} whose latest step did not succeed. */
    public long rerunFailed(long runId, List<Long> failedHosts, String actor) {
        var original = runs.find(runId).orElseThrow(() -> new NotFoundException("Run", runId));
        if (!original.state().finished()) {
            throw new io.opsbase.platform.ConflictException("run-not-finished", "run " + runId + " is still " + original.state().key());
        }
        if (failedHosts.isEmpty()) {
            throw new io.opsbase.platform.ConflictException("nothing-failed", "every host of run " + runId + " succeeded");
        }
        JobDefinition definition = JobJson.read(original.plan(), JobDefinition.class);
        Map<String, String> values = parameters.unseal(definition.parameters(), JobJson.readStrings(original.parameters()));
        PolicyDecision decision = evaluate(definition, values, failedHosts, actor);
        String summary = summary(decision, secretsOf(definition, values));
        if (decision.verdict() == Verdict.BLOCK) {
            tx.executeWithoutResult(s -> events.publishEvent(JobEvent.run("job.policy.blocked", runId,
                    "re-run of failed hosts: " + summary, actor)));
            throw new InvalidInputException("script", "blocked by the dangerous-command policy: " + summary);
        }
        RunState state = decision.verdict() == Verdict.REQUIRE_APPROVAL ? RunState.AWAITING_APPROVAL : RunState.RUNNING;
        Plan plan = new Plan(original.name() + " (failed hosts of #" + runId + ")", definition, original.templateId(),
                original.templateVersion());
        return start(plan, original.parameters(), new Targets(failedHosts, null, null), failedHosts, state,
                decision.verdict().name(), summary, runId, actor);
    }

    private long start(Plan plan, String sealedParameters, Targets asked, List<Long> hosts, RunState state,
            String verdict, String policySummary, Long parentId, String actor) {
        Long id = tx.execute(s -> {
            Instant now = clock.instant();
            long runId = runs.insert(new RunRepository.NewRun(truncate(plan.name(), 200), state, plan.templateId(),
                    plan.templateVersion(), parentId, JobJson.write(plan.definition()), sealedParameters,
                    JobJson.write(asked), actor, verdict, truncate(policySummary, 2000), hosts.size(), now));
            runs.insertHosts(runId, hosts);
            events.publishEvent(JobEvent.run("job.run.created", runId, plan.name() + " on " + hosts.size() + " hosts"
                    + (parentId == null ? "" : ", re-running the failed hosts of run " + parentId), actor));
            events.publishEvent(JobEvent.run("job.policy.decision", runId, verdict + ": " + policySummary, actor));
            engine.advance(runs.lock(runId).orElseThrow());
            return runId;
        });
        return id;
    }

    private Plan plan(RunRequest r) {
        List<FieldViolation> v = new ArrayList<>();
        int kinds = (r.command() != null ? 1 : 0) + (r.script() != null ? 1 : 0) + (r.templateId() != null ? 1 : 0)
                + (r.file() != null ? 1 : 0);
        if (kinds != 1) {
            throw new InvalidInputException("command", "give exactly one of command, script, file and templateId");
        }
        if (r.name() != null && r.name().length() > 200) {
            v.add(new FieldViolation("name", "must be at most 200 characters"));
        }
        Plan plan;
        if (r.templateId() != null) {
            JobTemplate t = templates.find(r.templateId())
                    .orElseThrow(() -> new InvalidInputException("templateId", "no job template " + r.templateId()));
            JobDefinition d = t.definition();
            int version = t.version();
            if (r.templateVersion() != null) {
                d = templates.version(t.id(), r.templateVersion()).orElseThrow(() -> new InvalidInputException(
                        "templateVersion", "template " + t.id() + " has no version " + r.templateVersion())).definition();
                version = r.templateVersion();
            }
            if (r.strategy() != null) {
                d = new JobDefinition(d.parameters(), d.steps(), r.strategy(), d.targets());
            }
            plan = new Plan(r.name() == null || r.name().isBlank() ? t.name() : r.name(), d, t.id(), version);
        } else if (r.file() != null) {
            JobStep step = new JobStep("file", null, null, null, r.timeoutSeconds(), r.file());
            JobDefinition d = new JobDefinition(List.of(), List.of(step), r.strategy(), null);
            String name = r.name() == null || r.name().isBlank() ? "put " + r.file().path() : r.name();
            plan = new Plan(name, d, null, null);
        } else {
            String text = r.command() != null ? r.command() : r.script();
            JobStep step = new JobStep("script", null, r.language(), text, r.timeoutSeconds(), null);
            JobDefinition d = new JobDefinition(List.of(), List.of(step), r.strategy(), null);
            String name = r.name() == null || r.name().isBlank() ? firstLine(text) : r.name();
            plan = new Plan(name, d, null, null);
        }
        for (FieldViolation f : plan.definition().violations("")) {
            // An ad-hoc run's one step is the request itself: name its fields as the request does.
            v.add(r.templateId() == null ? new FieldViolation(f.field().replace("steps[0].", "")
                    .replace("script", r.command() != null ? "command" : "script"), f.message()) : f);
        }
        if (!v.isEmpty()) {
            throw new InvalidInputException(v);
        }
        return plan;
    }

    /** Each file step's file must exist: in the store, or on a source host with an agent. */
    private void checkFiles(JobDefinition d, boolean adHoc) {
        String prefix = "";
        List<FieldViolation> v = new ArrayList<>();
        for (int i = 0; i < d.steps().size(); i++) {
            JobStep s = d.steps().get(i);
            if (!"file".equals(s.kind())) {
                continue;
            }
            if (s.file().fromHost()) {
                long ci = s.file().source().ciId();
                if (agents.boundTo(List.of(ci)).isEmpty()) {
                    v.add(new FieldViolation(prefix + "steps[" + i + "].file.source.ciId", "CI " + ci + " has no agent to upload the file"));
                }
            } else if (files.find(s.file().sha256()).isEmpty()) {
                v.add(new FieldViolation(prefix + "steps[" + i + "].file.sha256", "the file store holds no file " + s.file().sha256()));
            }
        }
        if (!v.isEmpty()) {
            // An ad-hoc file run's one step is the request's file: name its fields as the request does.
            throw new InvalidInputException(adHoc ? v.stream().map(f -> new FieldViolation(f.field().replace("steps[0].", ""), f.message()))
                    .toList() : v);
        }
    }

    /** The strictest verdict over every script step, as it will run (parameters filled in). */
    private PolicyDecision evaluate(JobDefinition d, Map<String, String> values, List<Long> hosts, String actor) {
        Verdict worst = Verdict.ALLOW;
        var matches = new ArrayList<io.opsbase.jobs.policy.PolicyMatch>();
        for (JobStep s : d.steps()) {
            if (!"script".equals(s.kind())) {
                continue;
            }
            PolicyDecision one = policy.evaluate(new PolicyRequest(s.language(), ParameterBinder.render(s.script(), values),
                    hosts, actor));
            matches.addAll(one.matches());
            if (one.verdict().ordinal() > worst.ordinal()) {
                worst = one.verdict();
            }
        }
        return new PolicyDecision(worst, List.copyOf(matches));
    }

    private static List<String> secretsOf(JobDefinition d, Map<String, String> values) {
        return d.parameters().stream().filter(ParameterSpec::secret).map(p -> values.get(p.name()))
                .filter(v -> v != null && !v.isEmpty()).toList();
    }

    /** The verdict's rules in words; secret values in the matched text are masked (this goes to the audit log). */
    private static String summary(PolicyDecision d, List<String> secrets) {
        if (d.matches().isEmpty()) {
            return "no rule matched";
        }
        var parts = new ArrayList<String>();
        for (var m : d.matches()) {
            parts.add("rule " + m.ruleId() + " '" + m.ruleName() + "' (" + m.verdict().name().toLowerCase(java.util.Locale.ROOT)
                    + ") matched '" + truncate(ParameterBinder.mask(m.matched(), secrets), 80) + "'");
        }
        return String.join("; ", parts);
    }

    private static String firstLine(String text) {
        String line = text.strip().lines().findFirst().orElse("command");
        return truncate(line, 120);
    }

    static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
