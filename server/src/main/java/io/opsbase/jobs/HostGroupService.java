package io.opsbase.jobs;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.opsbase.jobs.internal.HostGroupRepository;
import io.opsbase.jobs.internal.TargetResolver;
import io.opsbase.platform.InvalidInputException;
import io.opsbase.platform.InvalidInputException.FieldViolation;
import io.opsbase.platform.NotFoundException;

/** Saved host groups; a query group is resolved again at every run start. */
@Service
public class HostGroupService {

    private final HostGroupRepository groups;
    private final TargetResolver targets;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    HostGroupService(HostGroupRepository groups, TargetResolver targets, ApplicationEventPublisher events, Clock clock) {
        this.groups = groups;
        this.targets = targets;
        this.events = events;
        this.clock = clock;
    }

    public record GroupInput(String name, String description, List<Long> ciIds, String query) {
    }

    @Transactional(readOnly = true)
    public List<HostGroup> list() {
        return groups.list();
    }

    @Transactional(readOnly = true)
    public HostGroup get(long id) {
        return groups.find(id).orElseThrow(() -> new NotFoundException("Host group", id));
    }

    @Transactional
    public HostGroup create(GroupInput input, String actor) {
        check(input, null);
        long id = groups.insert(input.name().strip(), JobTemplateService.blankToNull(input.description()), input.ciIds(),
                JobTemplateService.blankToNull(input.query()), actor, clock.instant());
        events.publishEvent(new JobEvent("job.host-group.created", "job-host-group", Long.toString(id), input.name().strip(), actor));
        return get(id);
    }

    @Transactional
    public HostGroup update(long id, GroupInput input, String actor) {
        get(id);
        check(input, id);
        groups.update(id, input.name().strip(), JobTemplateService.blankToNull(input.description()), input.ciIds(),
                JobTemplateService.blankToNull(input.query()), clock.instant());
        events.publishEvent(new JobEvent("job.host-group.updated", "job-host-group", Long.toString(id), input.name().strip(), actor));
        return get(id);
    }

    @Transactional
    public void delete(long id, String actor) {
        HostGroup g = get(id);
        groups.delete(id);
        events.publishEvent(new JobEvent("job.host-group.deleted", "job-host-group", Long.toString(id), g.name(), actor));
    }

    private void check(GroupInput input, Long id) {
        if (input == null) {
            throw new InvalidInputException("body", "is required");
        }
        List<FieldViolation> v = new ArrayList<>();
        if (input.name() == null || input.name().isBlank() || input.name().length() > 200) {
            v.add(new FieldViolation("name", "must be 1-200 characters"));
        } else if (groups.nameTaken(input.name().strip(), id)) {
            v.add(new FieldViolation("name", "another host group has this name"));
        }
        boolean hasIds = input.ciIds() != null && !input.ciIds().isEmpty();
        boolean hasQuery = input.query() != null && !input.query().isBlank();
        if (hasIds == hasQuery) {
            v.add(new FieldViolation("ciIds", "give either ciIds or query"));
        }
        if (!v.isEmpty()) {
            throw new InvalidInputException(v);
        }
        // Explicit ids must name live CIs, and a query must parse: resolve once now.
        targets.resolve(new Targets(hasIds ? input.ciIds() : null, hasQuery ? input.query() : null, null));
    }
}
