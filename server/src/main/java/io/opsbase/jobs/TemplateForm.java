package io.opsbase.jobs;

import java.util.ArrayList;
import java.util.List;

import org.springframework.util.MultiValueMap;

/**
 * Reads the template page's step and parameter editor: one row per step ({@code step.kind},
 * {@code step.name}, … repeated in row order) and per parameter ({@code param.name}, …), plus the
 * strategy fields. Every row posts every field (hidden ones empty), so the lists line up.
 */
final class TemplateForm {

    private TemplateForm() {
    }

    static JobDefinition definition(MultiValueMap<String, String> form) {
        List<JobStep> steps = new ArrayList<>();
        List<String> kinds = list(form, "step.kind");
        for (int i = 0; i < kinds.size(); i++) {
            String kind = kinds.get(i);
            JobStep.FileSpec file = null;
            if ("file".equals(kind)) {
                String sha = at(form, "step.sha256", i);
                String sourceCi = at(form, "step.sourceCiId", i);
                String sourcePath = at(form, "step.sourcePath", i);
                // Either source field filled in means "from a host"; validation names whichever is missing.
                JobStep.FileSource source = sourceCi == null && sourcePath == null ? null
                        : new JobStep.FileSource(JobPageController.number(sourceCi) == null ? null
                                : JobPageController.number(sourceCi).longValue(), sourcePath);
                file = new JobStep.FileSpec(sha == null ? null : sha.strip().toLowerCase(java.util.Locale.ROOT),
                        JobPageController.number(at(form, "step.size", i)) == null ? null
                                : JobPageController.number(at(form, "step.size", i)).longValue(),
                        at(form, "step.path", i), at(form, "step.mode", i), at(form, "step.owner", i), at(form, "step.group", i), source);
            }
            steps.add(new JobStep(kind, at(form, "step.name", i), "script".equals(kind) ? at(form, "step.language", i) : null,
                    "script".equals(kind) ? at(form, "step.script", i) : null,
                    JobPageController.integer(at(form, "step.timeoutSeconds", i)), file));
        }
        List<ParameterSpec> parameters = new ArrayList<>();
        List<String> names = list(form, "param.name");
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i) == null || names.get(i).isBlank()) {
                continue;
            }
            String choices = at(form, "param.choices", i);
            parameters.add(new ParameterSpec(names.get(i).strip(), at(form, "param.type", i), "yes".equals(at(form, "param.required", i)),
                    at(form, "param.defaultValue", i),
                    choices == null ? List.of() : List.of(choices.split("\\s*,\\s*")), at(form, "param.description", i)));
        }
        Targets targets = null;
        String ids = form.getFirst("ciIds");
        String query = form.getFirst("query");
        if (query != null && !query.isBlank()) {
            targets = new Targets(null, query, null);
        } else if (ids != null && !ids.isBlank()) {
            targets = new Targets(JobPageController.ids(ids), null, null);
        }
        return new JobDefinition(parameters, steps, JobPageController.strategy(form.toSingleValueMap()), targets);
    }

    private static List<String> list(MultiValueMap<String, String> form, String key) {
        List<String> values = form.get(key);
        return values == null ? List.of() : values;
    }

    private static String at(MultiValueMap<String, String> form, String key, int i) {
        List<String> values = list(form, key);
        String v = i < values.size() ? values.get(i) : null;
        return v == null || v.isBlank() ? null : v;
    }
}
