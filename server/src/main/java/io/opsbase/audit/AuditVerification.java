package io.opsbase.audit;

/** Result of walking the whole chain: {@code firstBrokenId} is null when it is valid. */
public record AuditVerification(boolean valid, long records, Long firstBrokenId) {
}
