package io.opsbase.jobs;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.opsbase.jobs.internal.JobTemplateRepository;
import io.opsbase.platform.ConflictException;
import io.opsbase.platform.InvalidInputException;
import io.opsbase.platform.InvalidInputException.FieldViolation;
import io.opsbase.platform.NotFoundException;

/** Saved jobs: every save is a new version; runs name the version they ran. */
@Service
public class JobTemplateService {

    private final JobTemplateRepository templates;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    JobTemplateService(JobTemplateRepository templates, ApplicationEventPublisher events, Clock clock) {
        this.templates = templates;
        this.events = events;
        this.clock = clock;
    }

    /** {@code version} on update: the version the caller edited (409 when another save came first). */
    public record TemplateInput(String name, String description, JobDefinition definition, Integer version) {
    }

    @Transactional(readOnly = true)
    public List<JobTemplate> list() {
        return templates.list();
    }

    @Transactional(readOnly = true)
    public JobTemplate get(long id) {
        return templates.find(id).orElseThrow(() -> new NotFoundException("Job template", id));
    }

    @Transactional(readOnly = true)
    public List<TemplateVersion> versions(long id) {
        get(id);
        return templates.versions(id);
    }

    @Transactional(readOnly = true)
    public TemplateVersion version(long id, int version) {
        get(id);
        return templates.version(id, version).orElseThrow(() -> new NotFoundException("Version " + version + " of job template", id));
    }

    @Transactional
    public JobTemplate create(TemplateInput input, String actor) {
        check(input, null);
        long id = templates.insert(input.name().strip(), blankToNull(input.description()), input.definition(), actor, clock.instant());
        events.publishEvent(new JobEvent("job.template.created", "job-template", Long.toString(id), input.name().strip(), actor));
        return get(id);
    }

    @Transactional
    public JobTemplate update(long id, TemplateInput input, String actor) {
        JobTemplate current = get(id);
        check(input, id);
        int expected = input.version() == null ? current.version() : input.version();
        if (expected != current.version()
                || !templates.addVersion(id, expected, input.name().strip(), blankToNull(input.description()),
                        input.definition(), actor, clock.instant())) {
            throw new ConflictException("stale-version", "template " + id + " is at version " + current.version()
                    + ", not " + expected + "; reload it and apply the change again",
                    java.util.Map.of("currentVersion", current.version()));
        }
        events.publishEvent(new JobEvent("job.template.updated", "job-template", Long.toString(id),
                input.name().strip() + " version " + (expected + 1), actor));
        return get(id);
    }

    @Transactional
    public void delete(long id, String actor) {
        JobTemplate t = get(id);
        templates.delete(id, clock.instant());
        events.publishEvent(new JobEvent("job.template.deleted", "job-template", Long.toString(id), t.name(), actor));
    }

    private void check(TemplateInput input, Long id) {
        if (input == null) {
            throw new InvalidInputException("body", "is required");
        }
        List<FieldViolation> v = new ArrayList<>();
        if (input.name() == null || input.name().isBlank() || input.name().length() > 200) {
            v.add(new FieldViolation("name", "must be 1-200 characters"));
        } else if (templates.nameTaken(input.name().strip(), id)) {
            v.add(new FieldViolation("name", "another template has this name"));
        }
        if (input.description() != null && input.description().length() > 1000) {
            v.add(new FieldViolation("description", "must be at most 1000 characters"));
        }
        if (input.definition() == null) {
            v.add(new FieldViolation("definition", "is required"));
        } else {
            v.addAll(input.definition().violations("definition."));
        }
        if (!v.isEmpty()) {
            throw new InvalidInputException(v);
        }
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

}
