package io.opsbase.jobs.schedule;

import java.net.URI;
import java.time.Instant;
import java.util.List;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.opsbase.platform.Page;

/** Job schedules ({@code /api/v1/job-schedules}). Every role reads; operators and admins change them. */
@RestController
class JobScheduleApiController {

    private final JobScheduleCatalog schedules;

    JobScheduleApiController(JobScheduleCatalog schedules) {
        this.schedules = schedules;
    }

    @GetMapping("/api/v1/job-schedules")
    Page<JobSchedule> list() {
        return Page.of(schedules.list());
    }

    @GetMapping("/api/v1/job-schedules/{id}")
    JobSchedule get(@PathVariable long id) {
        return schedules.get(id);
    }

    /** The next fire times of a saved schedule, at most 50. */
    @GetMapping("/api/v1/job-schedules/{id}/upcoming")
    List<Instant> upcoming(@PathVariable long id, @RequestParam(defaultValue = "5") int count) {
        JobSchedule s = schedules.get(id);
        return schedules.upcoming(s.cron(), s.timeZone(), Math.clamp(count, 1, 50));
    }

    @PostMapping("/api/v1/job-schedules")
    ResponseEntity<JobSchedule> create(@RequestBody JobScheduleInput input) {
        JobSchedule s = schedules.create(input);
        return ResponseEntity.created(URI.create("/api/v1/job-schedules/" + s.id())).body(s);
    }

    @PutMapping("/api/v1/job-schedules/{id}")
    JobSchedule update(@PathVariable long id, @RequestBody JobScheduleInput input) {
        return schedules.update(id, input);
    }

    @PostMapping("/api/v1/job-schedules/{id}/enable")
    JobSchedule enable(@PathVariable long id) {
        return schedules.setEnabled(id, true);
    }

    @PostMapping("/api/v1/job-schedules/{id}/disable")
    JobSchedule disable(@PathVariable long id) {
        return schedules.setEnabled(id, false);
    }

    @DeleteMapping("/api/v1/job-schedules/{id}")
    ResponseEntity<Void> delete(@PathVariable long id) {
        schedules.delete(id);
        return ResponseEntity.noContent().build();
    }
}
