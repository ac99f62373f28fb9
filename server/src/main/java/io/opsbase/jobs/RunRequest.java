package io.opsbase.jobs;

import java.util.Map;

/**
 * {@code POST /api/v1/runs}: an ad-hoc {@code command} or {@code script} (with {@code language} and
 * {@code timeoutSeconds}), or a {@code templateId} (optionally a {@code templateVersion}) with its
 * {@code parameters}; or an ad-hoc {@code file} to distribute (from the store by {@code sha256}, or
 * from a {@code source} host); the targets; a strategy (a template's own when absent).
 */
public record RunRequest(String name, String command, String script, String language, Integer timeoutSeconds,
        Long templateId, Integer templateVersion, Map<String, String> parameters, Targets targets, Strategy strategy,
        JobStep.FileSpec file) {

    /** A request without an ad-hoc file. */
    public RunRequest(String name, String command, String script, String language, Integer timeoutSeconds,
            Long templateId, Integer templateVersion, Map<String, String> parameters, Targets targets, Strategy strategy) {
        this(name, command, script, language, timeoutSeconds, templateId, templateVersion, parameters, targets, strategy, null);
    }
}
