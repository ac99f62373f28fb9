package io.opsbase.jobs;

import java.time.Instant;

/** One saved version of a template; versions are never changed, only added. */
public record TemplateVersion(long templateId, int version, JobDefinition definition, String createdBy, Instant createdAt) {
}
