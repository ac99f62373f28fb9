package io.opsbase.monitoring;

/**
 * An alert started firing. {@code tellPeople} is false when people must not be told now: the alert is
 * silenced, its CI is in maintenance, it flaps, or a failed dependency upstream explains it.
 */
public record AlertFired(Alert alert, String expression, boolean tellPeople) {
}
