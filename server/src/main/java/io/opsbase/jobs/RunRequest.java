package io.opsbase.jobs;

import java.util.Map;

/**
 * {@code POST /api/v1/runs}: an ad-hoc {@code command} or {@code script} (with {@code language} and
 * {@code timeoutSeconds}), or a {@code templateId} (optionally a {@code templateVersion}) with its
 * {@code parameters}; the targets; a strategy (a template's own when absent).
 */
public record RunRequest(String name, String command, String script, String language, Integer timeoutSeconds,
        Long templateId, Integer templateVersion, Map<String, String> parameters, Targets targets, Strategy strategy) {
}
