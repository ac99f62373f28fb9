package io.opsbase.jobs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import io.opsbase.jobs.internal.RunStream;
import io.opsbase.platform.ApiException;
import io.opsbase.platform.InvalidInputException;
import io.opsbase.web.Notice;

/**
 * Job pages under {@code /jobs}: run a command (targets with a live count, script, strategy), run
 * history, run detail (progress, grouped results, live log over server-sent events, cancel,
 * confirm, approve), templates with a step editor and their versions, host groups. Forms post
 * here and go through the same services, checks and policy as the API.
 */
@Controller
class JobPageController {

    private final RunLauncher launcher;
    private final RunControl control;
    private final JobRunService runs;
    private final TargetPreview preview;
    private final JobTemplateService templates;
    private final HostGroupService groups;
    private final RunStream stream;

    JobPageController(RunLauncher launcher, RunControl control, JobRunService runs, TargetPreview preview,
            JobTemplateService templates, HostGroupService groups, RunStream stream) {
        this.launcher = launcher;
        this.control = control;
        this.runs = runs;
        this.preview = preview;
        this.templates = templates;
        this.groups = groups;
        this.stream = stream;
    }

    @GetMapping("/jobs")
    String runs(@RequestParam(required = false) String state, Model model) {
        model.addAttribute("runs", runs.list(state == null || state.isBlank() ? null : state, null, 100).items());
        model.addAttribute("state", state);
        return "jobs/runs";
    }

    @GetMapping("/jobs/new")
    String newRun(@RequestParam(required = false) Long templateId, Model model) {
        model.addAttribute("form", Map.of());
        model.addAttribute("errors", Map.of());
        return runForm(templateId, model);
    }

    private String runForm(Long templateId, Model model) {
        model.addAttribute("template", templateId == null ? null : templates.get(templateId));
        model.addAttribute("templates", templates.list());
        model.addAttribute("groups", groups.list());
        return "jobs/new";
    }

    @PostMapping("/jobs/new")
    String start(@RequestParam MultiValueMap<String, String> form, Authentication auth, Model model) {
        requireWriter(auth);
        Map<String, String> f = form.toSingleValueMap();
        Long templateId = number(f.get("templateId")) == null ? null : number(f.get("templateId")).longValue();
        try {
            Map<String, String> parameters = new LinkedHashMap<>();
            f.forEach((k, v) -> {
                if (k.startsWith("param.")) {
                    parameters.put(k.substring(6), v);
                }
            });
            String script = blank(f.get("script"));
            var request = new RunRequest(blank(f.get("name")), null, templateId == null ? (script == null ? "" : script) : null,
                    blank(f.get("language")), integer(f.get("timeoutSeconds")), templateId, null,
                    templateId == null ? null : parameters, targets(f), strategy(f));
            long id = launcher.launch(request, auth.getName());
            return "redirect:/jobs/runs/" + id;
        } catch (InvalidInputException e) {
            model.addAttribute("form", f);
            model.addAttribute("errors", errors(e));
            return runForm(templateId, model);
        } catch (ApiException e) {
            model.addAttribute("form", f);
            model.addAttribute("errors", Map.of("script", e.getMessage()));
            return runForm(templateId, model);
        }
    }

    /** The live count under the target picker (htmx). */
    @GetMapping("/jobs/preview")
    String previewCount(@RequestParam Map<String, String> f, Model model) {
        try {
            model.addAttribute("preview", preview.preview(targets(f)));
        } catch (ApiException e) {
            model.addAttribute("previewError", e.getMessage());
        }
        return "jobs/fragments :: preview";
    }

    /** The run with one page of its hosts ({@code hosts}: the cursor of the page, from the previous page's link). */
    @GetMapping("/jobs/runs/{id}")
    String run(@PathVariable long id, @RequestParam(name = "hosts", required = false) String hostCursor, Model model) {
        RunDetail detail = runs.detail(id, JobRunService.DEFAULT_HOSTS, hostCursor);
        model.addAttribute("detail", detail);
        model.addAttribute("hostCursor", hostCursor);
        // CI names for the result groups, which list CI ids: those of the hosts shown, keyed by the id as text.
        Map<String, String> names = new java.util.HashMap<>();
        detail.hosts().stream().filter(h -> h.ciName() != null).forEach(h -> names.put(Long.toString(h.ciId()), h.ciName()));
        model.addAttribute("ciNames", names);
        return "jobs/run";
    }

    @GetMapping(path = "/jobs/runs/{id}/events", produces = "text/event-stream")
    SseEmitter events(@PathVariable long id) {
        return stream.subscribe(id, java.util.Map.of("state", runs.get(id).state().key()));
    }

    @GetMapping("/jobs/runs/{id}/hosts/{ciId}/log")
    String log(@PathVariable long id, @PathVariable long ciId, @RequestParam(required = false) Integer step, Model model) {
        model.addAttribute("log", runs.log(id, ciId, step));
        return "jobs/fragments :: log";
    }

    @PostMapping("/jobs/runs/{id}/{action}")
    String act(@PathVariable long id, @PathVariable String action, Authentication auth, RedirectAttributes redirect) {
        requireWriter(auth);
        try {
            switch (action) {
                case "cancel" -> control.cancel(id, auth.getName());
                case "confirm" -> control.confirm(id, auth.getName());
                case "approve" -> control.approve(id, auth.getName(), RunApiController.isAdmin(auth));
                case "rerun-failed" -> {
                    long rerun = launcher.rerunFailed(id, runs.notSucceeded(id), auth.getName());
                    return "redirect:/jobs/runs/" + rerun;
                }
                default -> throw new io.opsbase.platform.NotFoundException("Action", action);
            }
            redirect.addFlashAttribute(Notice.ATTRIBUTE, Notice.success("jobs.notice." + action, Long.toString(id)));
        } catch (ApiException e) {
            if (e instanceof io.opsbase.platform.NotFoundException) {
                throw e;
            }
            redirect.addFlashAttribute(Notice.ATTRIBUTE, Notice.failure("jobs.notice.failed", e.getMessage()));
        }
        return "redirect:/jobs/runs/" + id;
    }

    @GetMapping("/jobs/templates")
    String templates(Model model) {
        model.addAttribute("templates", templates.list());
        return "jobs/templates";
    }

    @GetMapping("/jobs/templates/new")
    String newTemplate(Model model) {
        model.addAttribute("template", null);
        model.addAttribute("definition", new JobDefinition(List.of(), List.of(new JobStep("script", null, "bash", "", null, null)),
                null, null));
        model.addAttribute("form", Map.of());
        model.addAttribute("errors", Map.of());
        return "jobs/template";
    }

    @GetMapping("/jobs/templates/{id}")
    String template(@PathVariable long id, @RequestParam(required = false) Integer version, Model model) {
        JobTemplate t = templates.get(id);
        model.addAttribute("template", t);
        model.addAttribute("versions", templates.versions(id));
        model.addAttribute("definition", version == null ? t.definition() : templates.version(id, version).definition());
        model.addAttribute("shownVersion", version == null ? t.version() : version);
        model.addAttribute("form", Map.of("name", t.name(), "description", t.description() == null ? "" : t.description()));
        model.addAttribute("errors", Map.of());
        return "jobs/template";
    }

    @PostMapping({"/jobs/templates/new", "/jobs/templates/{id}"})
    String saveTemplate(@PathVariable(required = false) Long id, @RequestParam MultiValueMap<String, String> form,
            Authentication auth, Model model, RedirectAttributes redirect) {
        requireWriter(auth);
        JobDefinition definition = TemplateForm.definition(form);
        var input = new JobTemplateService.TemplateInput(form.getFirst("name"), form.getFirst("description"), definition,
                integer(form.getFirst("version")));
        try {
            JobTemplate t = id == null ? templates.create(input, auth.getName()) : templates.update(id, input, auth.getName());
            redirect.addFlashAttribute(Notice.ATTRIBUTE, Notice.success("jobs.notice.templateSaved", t.name()));
            return "redirect:/jobs/templates/" + t.id();
        } catch (InvalidInputException e) {
            model.addAttribute("template", id == null ? null : templates.get(id));
            model.addAttribute("versions", id == null ? List.of() : templates.versions(id));
            model.addAttribute("definition", definition);
            model.addAttribute("form", form.toSingleValueMap());
            model.addAttribute("errors", errors(e));
            return "jobs/template";
        } catch (ApiException e) {
            redirect.addFlashAttribute(Notice.ATTRIBUTE, Notice.failure("jobs.notice.failed", e.getMessage()));
            return id == null ? "redirect:/jobs/templates" : "redirect:/jobs/templates/" + id;
        }
    }

    @PostMapping("/jobs/templates/{id}/delete")
    String deleteTemplate(@PathVariable long id, Authentication auth, RedirectAttributes redirect) {
        requireWriter(auth);
        String name = templates.get(id).name();
        templates.delete(id, auth.getName());
        redirect.addFlashAttribute(Notice.ATTRIBUTE, Notice.success("jobs.notice.templateDeleted", name));
        return "redirect:/jobs/templates";
    }

    @GetMapping("/jobs/host-groups")
    String groups(Model model) {
        model.addAttribute("groups", groups.list());
        model.addAttribute("form", Map.of());
        model.addAttribute("errors", Map.of());
        return "jobs/groups";
    }

    @PostMapping("/jobs/host-groups")
    String createGroup(@RequestParam Map<String, String> f, Authentication auth, Model model, RedirectAttributes redirect) {
        requireWriter(auth);
        try {
            HostGroup g = groups.create(new HostGroupService.GroupInput(f.get("name"), f.get("description"), ids(f.get("ciIds")),
                    blank(f.get("query"))), auth.getName());
            redirect.addFlashAttribute(Notice.ATTRIBUTE, Notice.success("jobs.notice.groupSaved", g.name()));
            return "redirect:/jobs/host-groups";
        } catch (InvalidInputException e) {
            model.addAttribute("groups", groups.list());
            model.addAttribute("form", f);
            model.addAttribute("errors", errors(e));
            return "jobs/groups";
        }
    }

    @PostMapping("/jobs/host-groups/{id}/delete")
    String deleteGroup(@PathVariable long id, Authentication auth, RedirectAttributes redirect) {
        requireWriter(auth);
        String name = groups.get(id).name();
        groups.delete(id, auth.getName());
        redirect.addFlashAttribute(Notice.ATTRIBUTE, Notice.success("jobs.notice.groupDeleted", name));
        return "redirect:/jobs/host-groups";
    }

    static Targets targets(Map<String, String> f) {
        return switch (f.getOrDefault("targetMode", "ciIds")) {
            case "query" -> new Targets(null, f.getOrDefault("query", ""), null);
            case "group" -> new Targets(null, null, number(f.get("groupId")) == null ? -1L : number(f.get("groupId")).longValue());
            default -> new Targets(ids(f.get("ciIds")) == null ? List.of() : ids(f.get("ciIds")), null, null);
        };
    }

    static Strategy strategy(Map<String, String> f) {
        return new Strategy(blank(f.get("mode")), integer(f.get("concurrency")), integer(f.get("batchSize")),
                integer(f.get("batchPercent")), blank(f.get("between")), integer(f.get("pauseSeconds")), integer(f.get("canary")),
                integer(f.get("stopAbovePercent")));
    }

    static List<Long> ids(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        List<Long> out = new ArrayList<>();
        for (String part : text.split("[,\\s]+")) {
            if (!part.isBlank()) {
                try {
                    out.add(Long.parseLong(part.strip()));
                } catch (NumberFormatException e) {
                    throw new InvalidInputException("ciIds", "'" + part + "' is not a CI id");
                }
            }
        }
        return out;
    }

    static String blank(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    static Integer integer(String s) {
        Double d = number(s);
        return d == null ? null : d.intValue();
    }

    static Double number(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return Double.parseDouble(s.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static Map<String, String> errors(InvalidInputException e) {
        Map<String, String> errors = new LinkedHashMap<>();
        e.errors().forEach(v -> errors.merge(v.field(), v.message(), (a, b) -> a + "; " + b));
        return errors;
    }

    static void requireWriter(Authentication auth) {
        boolean allowed = auth.getAuthorities().stream()
                .anyMatch(a -> a.getAuthority().equals("ROLE_ADMIN") || a.getAuthority().equals("ROLE_OPERATOR"));
        if (!allowed) {
            throw new AccessDeniedException("operators and admins run jobs");
        }
    }
}
