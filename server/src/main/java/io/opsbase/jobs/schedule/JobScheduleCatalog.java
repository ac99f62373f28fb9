package io.opsbase.jobs.schedule;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import io.opsbase.platform.ConflictException;
import io.opsbase.platform.InvalidInputException;
import io.opsbase.platform.InvalidInputException.FieldViolation;
import io.opsbase.platform.NotFoundException;

/**
 * Creating, changing and deleting schedules: validated (the cron parses, the zone exists), stored and audited in
 * one transaction. The next fire time is computed from now whenever the cron, zone or enabled flag is saved, so
 * re-enabling a schedule never fires the times it missed while disabled.
 */
@Component
public class JobScheduleCatalog {

    private final JobScheduleRepository schedules;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    JobScheduleCatalog(JobScheduleRepository schedules, ApplicationEventPublisher events, Clock clock) {
        this.schedules = schedules;
        this.events = events;
        this.clock = clock;
    }

    @Transactional(readOnly = true)
    public List<JobSchedule> list() {
        return schedules.all();
    }

    @Transactional(readOnly = true)
    public JobSchedule get(long id) {
        return schedules.find(id).orElseThrow(() -> new NotFoundException("Job schedule", id));
    }

    @Transactional
    public JobSchedule create(JobScheduleInput input) {
        JobSchedule s = validated(0, input);
        long id = schedules.insert(s);
        events.publishEvent(new JobScheduleChanged("created", id, describe(s), null));
        return get(id);
    }

    @Transactional
    public JobSchedule update(long id, JobScheduleInput input) {
        JobSchedule before = get(id);
        JobSchedule after = validated(id, input);
        schedules.update(after);
        events.publishEvent(new JobScheduleChanged("updated", id, describe(before) + " -> " + describe(after), null));
        return get(id);
    }

    @Transactional
    public JobSchedule setEnabled(long id, boolean enabled) {
        JobSchedule s = get(id);
        if (s.enabled() != enabled) {
            Instant next = enabled ? times(s.cron(), s.timeZone()).nextAfter(clock.instant()) : null;
            schedules.update(new JobSchedule(s.id(), s.name(), s.templateId(), s.cron(), s.timeZone(), s.parameters(),
                    s.misfire(), enabled, next, s.lastFireAt(), s.lastOutcome(), s.lastRunId(), s.lastError(), clock.instant()));
            events.publishEvent(new JobScheduleChanged(enabled ? "enabled" : "disabled", id, s.name(), null));
        }
        return get(id);
    }

    @Transactional
    public void delete(long id) {
        JobSchedule s = get(id);
        schedules.delete(id);
        events.publishEvent(new JobScheduleChanged("deleted", id, describe(s), null));
    }

    /** The next {@code count} fire times from now, for previews. */
    public List<Instant> upcoming(String cron, String timeZone, int count) {
        CronTimes times = times(cron, timeZone);
        List<Instant> out = new ArrayList<>();
        Instant t = clock.instant();
        while (out.size() < count && (t = times.nextAfter(t)) != null) {
            out.add(t);
        }
        return out;
    }

    static CronTimes times(String cron, String timeZone) {
        return new CronTimes(CronExpression.parse(cron), ZoneId.of(timeZone));
    }

    private JobSchedule validated(long id, JobScheduleInput in) {
        List<FieldViolation> errors = new ArrayList<>();
        String name = in.name() == null ? "" : in.name().strip();
        if (name.isEmpty() || name.length() > 200) {
            errors.add(new FieldViolation("name", "is required (at most 200 characters)"));
        }
        if (in.templateId() == null || in.templateId() <= 0) {
            errors.add(new FieldViolation("templateId", "is required (the id of a saved job template)"));
        }
        CronExpression cron = null;
        String cronText = in.cron() == null ? "" : in.cron().strip().replaceAll("\\s+", " ");
        try {
            cron = CronExpression.parse(cronText);
        } catch (IllegalArgumentException e) {
            errors.add(new FieldViolation("cron", "must be a cron expression of six fields (second minute hour day month "
                    + "weekday) or a macro such as @daily: " + e.getMessage()));
        }
        String zoneText = in.timeZone() == null || in.timeZone().isBlank() ? "UTC" : in.timeZone().strip();
        ZoneId zone = null;
        try {
            zone = ZoneId.of(zoneText);
        } catch (DateTimeException e) {
            errors.add(new FieldViolation("timeZone", "must be a time zone such as UTC or Europe/Berlin"));
        }
        MisfirePolicy misfire = MisfirePolicy.SKIP;
        if (in.misfire() != null && !in.misfire().isBlank()) {
            try {
                misfire = MisfirePolicy.of(in.misfire());
            } catch (IllegalArgumentException e) {
                errors.add(new FieldViolation("misfire", "must be skip or run_once"));
            }
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        if (in.parameters() != null) {
            if (in.parameters().size() > 100) {
                errors.add(new FieldViolation("parameters", "must have at most 100 entries"));
            }
            in.parameters().forEach((k, v) -> {
                if (k == null || k.isBlank() || k.length() > 100 || v == null) {
                    errors.add(new FieldViolation("parameters." + k, "must be a name of at most 100 characters with a value"));
                } else {
                    parameters.put(k, v);
                }
            });
            if (errors.isEmpty() && JobScheduleRepository.writeParameters(parameters).length() > 8000) {
                errors.add(new FieldViolation("parameters", "must be at most 8000 characters as JSON"));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        if (schedules.nameTaken(name, id)) {
            throw new ConflictException("duplicate-name", "A job schedule named " + name + " exists already");
        }
        boolean enabled = in.enabled() == null || in.enabled();
        Instant next = enabled ? new CronTimes(cron, zone).nextAfter(clock.instant()) : null;
        JobSchedule before = id == 0 ? null : get(id);
        return new JobSchedule(id, name, in.templateId(), cronText, zone.getId(), Map.copyOf(parameters), misfire, enabled, next,
                before == null ? null : before.lastFireAt(), before == null ? null : before.lastOutcome(),
                before == null ? null : before.lastRunId(), before == null ? null : before.lastError(), clock.instant());
    }

    private static String describe(JobSchedule s) {
        return s.name() + " [template " + s.templateId() + ", " + s.cron() + " " + s.timeZone() + ", misfire "
                + s.misfire().key() + (s.enabled() ? "" : ", disabled") + "]";
    }
}
