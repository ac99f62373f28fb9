package io.opsbase.monitoring;

/** A firing alert resolved. {@code tellPeople} as for {@link AlertFired}: false when its firing was not told either. */
public record AlertResolved(Alert alert, String expression, boolean tellPeople) {
}
