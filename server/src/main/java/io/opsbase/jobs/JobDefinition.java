package io.opsbase.jobs;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

import io.opsbase.platform.InvalidInputException.FieldViolation;

/**
 * What a template version holds and a run executes: parameters, steps, the default strategy and,
 * optionally, default targets (what a scheduled run reaches; a run request may name others).
 */
public record JobDefinition(List<ParameterSpec> parameters, List<JobStep> steps, Strategy strategy, Targets targets) {

    public static final int MAX_STEPS = 50;

    public JobDefinition {
        parameters = parameters == null ? List.of() : List.copyOf(parameters);
        steps = steps == null ? List.of() : List.copyOf(steps);
        strategy = strategy == null ? Strategy.parallel() : strategy;
    }

    public List<FieldViolation> violations(String prefix) {
        List<FieldViolation> v = new ArrayList<>();
        var names = new HashSet<String>();
        for (int i = 0; i < parameters.size(); i++) {
            ParameterSpec p = parameters.get(i);
            if (p == null) {
                v.add(new FieldViolation(prefix + "parameters[" + i + "]", "is required"));
                continue;
            }
            v.addAll(p.violations(prefix + "parameters[" + i + "]."));
            if (p.name() != null && !names.add(p.name())) {
                v.add(new FieldViolation(prefix + "parameters[" + i + "].name", "is used twice"));
            }
        }
        if (steps.isEmpty() || steps.size() > MAX_STEPS) {
            v.add(new FieldViolation(prefix + "steps", "must hold 1 to " + MAX_STEPS + " steps"));
        }
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i) == null) {
                v.add(new FieldViolation(prefix + "steps[" + i + "]", "is required"));
            } else {
                v.addAll(steps.get(i).violations(prefix + "steps[" + i + "]."));
            }
        }
        if (!steps.isEmpty() && steps.stream().allMatch(s -> s != null && "confirm".equals(s.kind()))) {
            v.add(new FieldViolation(prefix + "steps", "need at least one script or file step"));
        }
        v.addAll(strategy.violations(prefix + "strategy."));
        return v;
    }
}
