package io.opsbase.audit;

/**
 * Implemented by every feature event that must leave an audit record ({@code CiChanged},
 * {@code UserCreated}, …). The audit log listens for these synchronously, so the record is
 * written in the same transaction as the change: both commit or neither does.
 */
public interface Auditable {

    /** Dotted verb, e.g. {@code ci.updated}, {@code user.disabled}. */
    String auditAction();

    /** Kind of the thing acted on, e.g. {@code ci}, {@code user}; may be null. */
    String auditTargetType();

    /** Its id; may be null. */
    String auditTargetId();

    /** Short human summary of before/after. */
    String auditSummary();

    /** Who did it when it is not the authenticated caller (an agent, the system); null otherwise. */
    default String auditActor() {
        return null;
    }
}
