package io.opsbase.jobs;

import java.net.URI;

import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import io.opsbase.platform.Page;

/** Job templates ({@code /api/v1/job-templates}) with their versions, and host groups ({@code /api/v1/host-groups}). */
@RestController
class JobTemplateApiController {

    private final JobTemplateService templates;
    private final HostGroupService groups;

    JobTemplateApiController(JobTemplateService templates, HostGroupService groups) {
        this.templates = templates;
        this.groups = groups;
    }

    @GetMapping("/api/v1/job-templates")
    Page<JobTemplate> list() {
        return Page.of(templates.list());
    }

    @GetMapping("/api/v1/job-templates/{id}")
    JobTemplate get(@PathVariable long id) {
        return templates.get(id);
    }

    @PostMapping("/api/v1/job-templates")
    ResponseEntity<JobTemplate> create(@RequestBody JobTemplateService.TemplateInput input, Authentication auth) {
        JobTemplate t = templates.create(input, auth.getName());
        return ResponseEntity.created(URI.create("/api/v1/job-templates/" + t.id())).body(t);
    }

    @PutMapping("/api/v1/job-templates/{id}")
    JobTemplate update(@PathVariable long id, @RequestBody JobTemplateService.TemplateInput input, Authentication auth) {
        return templates.update(id, input, auth.getName());
    }

    @DeleteMapping("/api/v1/job-templates/{id}")
    ResponseEntity<Void> delete(@PathVariable long id, Authentication auth) {
        templates.delete(id, auth.getName());
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/api/v1/job-templates/{id}/versions")
    Page<TemplateVersion> versions(@PathVariable long id) {
        return Page.of(templates.versions(id));
    }

    @GetMapping("/api/v1/job-templates/{id}/versions/{version}")
    TemplateVersion version(@PathVariable long id, @PathVariable int version) {
        return templates.version(id, version);
    }

    @GetMapping("/api/v1/host-groups")
    Page<HostGroup> groups() {
        return Page.of(groups.list());
    }

    @GetMapping("/api/v1/host-groups/{id}")
    HostGroup group(@PathVariable long id) {
        return groups.get(id);
    }

    @PostMapping("/api/v1/host-groups")
    ResponseEntity<HostGroup> createGroup(@RequestBody HostGroupService.GroupInput input, Authentication auth) {
        HostGroup g = groups.create(input, auth.getName());
        return ResponseEntity.created(URI.create("/api/v1/host-groups/" + g.id())).body(g);
    }

    @PutMapping("/api/v1/host-groups/{id}")
    HostGroup updateGroup(@PathVariable long id, @RequestBody HostGroupService.GroupInput input, Authentication auth) {
        return groups.update(id, input, auth.getName());
    }

    @DeleteMapping("/api/v1/host-groups/{id}")
    ResponseEntity<Void> deleteGroup(@PathVariable long id, Authentication auth) {
        groups.delete(id, auth.getName());
        return ResponseEntity.noContent().build();
    }

}
