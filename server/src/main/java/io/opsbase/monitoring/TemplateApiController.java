package io.opsbase.monitoring;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import io.opsbase.platform.Page;
import io.opsbase.protocol.MonitoringItem;

/**
 * Templates ({@code /api/v1/templates}), their host links, hosts' macros and what a host's agent
 * runs ({@code GET /api/v1/cis/{id}/monitoring}). Reading needs any role; changing, operator or admin.
 */
@RestController
class TemplateApiController {

    private final TemplateService templates;

    TemplateApiController(TemplateService templates) {
        this.templates = templates;
    }

    @GetMapping("/api/v1/templates")
    Page<MonitoringTemplate> list() {
        return Page.of(templates.list());
    }

    @GetMapping("/api/v1/templates/{id}")
    MonitoringTemplate get(@PathVariable long id) {
        return templates.get(id);
    }

    @PostMapping("/api/v1/templates")
    ResponseEntity<MonitoringTemplate> create(@RequestBody TemplateInput input) {
        MonitoringTemplate t = templates.create(input);
        return ResponseEntity.created(URI.create("/api/v1/templates/" + t.id())).body(t);
    }

    @PutMapping("/api/v1/templates/{id}")
    MonitoringTemplate update(@PathVariable long id, @RequestBody TemplateInput input) {
        return templates.update(id, input);
    }

    @DeleteMapping("/api/v1/templates/{id}")
    ResponseEntity<Void> delete(@PathVariable long id) {
        templates.delete(id);
        return ResponseEntity.noContent().build();
    }

    @PutMapping("/api/v1/templates/{id}/hosts/{ciId}")
    ResponseEntity<Void> link(@PathVariable long id, @PathVariable long ciId) {
        templates.link(id, ciId);
        return ResponseEntity.noContent().build();
    }

    @DeleteMapping("/api/v1/templates/{id}/hosts/{ciId}")
    ResponseEntity<Void> unlink(@PathVariable long id, @PathVariable long ciId) {
        templates.unlink(id, ciId);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/api/v1/cis/{id}/macros")
    Map<String, String> macros(@PathVariable long id) {
        return templates.hostMacros(id);
    }

    @PutMapping("/api/v1/cis/{id}/macros")
    Map<String, String> replaceMacros(@PathVariable long id, @RequestBody Map<String, String> macros) {
        return templates.replaceHostMacros(id, macros);
    }

    /** The templates bound to the CI and the items its agent runs. */
    record HostMonitoring(List<String> templates, List<MonitoringItem> items) {
    }

    @GetMapping("/api/v1/cis/{id}/monitoring")
    HostMonitoring monitoring(@PathVariable long id) {
        return new HostMonitoring(templates.templatesOf(id).stream().map(MonitoringTemplate::name).toList(), templates.effectiveItems(id));
    }
}
