package io.opsbase.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.opsbase.platform.InvalidInputException.FieldViolation;

/**
 * How a step reaches its hosts.
 *
 * @param mode             {@code parallel} (one batch), {@code rolling} (batches of {@code batchSize}
 *                         hosts or {@code batchPercent} % of them) or {@code canary} (the first
 *                         {@code canary} hosts, a confirmation, then the rest)
 * @param concurrency      most hosts in flight at once within a batch; null or 0: no limit
 * @param between          between rolling batches: {@code none}, {@code pause} ({@code pauseSeconds})
 *                         or {@code confirm}
 * @param stopAbovePercent failure policy: stop the run (remaining hosts skipped) once more than this
 *                         share of a step's hosts failed; null: continue whatever fails
 */
public record Strategy(String mode, Integer concurrency, Integer batchSize, Integer batchPercent, String between,
        Integer pauseSeconds, Integer canary, Integer stopAbovePercent) {

    private static final Set<String> MODES = Set.of("parallel", "rolling", "canary");
    private static final Set<String> BETWEEN = Set.of("none", "pause", "confirm");

    public Strategy {
        mode = mode == null || mode.isBlank() ? "parallel" : mode;
        between = between == null || between.isBlank() ? "none" : between;
    }

    public static Strategy parallel() {
        return new Strategy("parallel", null, null, null, null, null, null, null);
    }

    public List<FieldViolation> violations(String prefix) {
        List<FieldViolation> v = new ArrayList<>();
        if (!MODES.contains(mode)) {
            v.add(new FieldViolation(prefix + "mode", "must be parallel, rolling or canary"));
        }
        if (!BETWEEN.contains(between)) {
            v.add(new FieldViolation(prefix + "between", "must be none, pause or confirm"));
        }
        if (concurrency != null && concurrency < 0) {
            v.add(new FieldViolation(prefix + "concurrency", "must be 0 (no limit) or more"));
        }
        if ("rolling".equals(mode)) {
            if ((batchSize == null) == (batchPercent == null)) {
                v.add(new FieldViolation(prefix + "batchSize", "a rolling run needs batchSize or batchPercent, not both"));
            } else if (batchSize != null && batchSize < 1) {
                v.add(new FieldViolation(prefix + "batchSize", "must be at least 1"));
            } else if (batchPercent != null && (batchPercent < 1 || batchPercent > 100)) {
                v.add(new FieldViolation(prefix + "batchPercent", "must be between 1 and 100"));
            }
            if ("pause".equals(between) && (pauseSeconds == null || pauseSeconds < 1 || pauseSeconds > 86_400)) {
                v.add(new FieldViolation(prefix + "pauseSeconds", "must be between 1 and 86400 for a pause between batches"));
            }
        }
        if ("canary".equals(mode) && (canary == null || canary < 1)) {
            v.add(new FieldViolation(prefix + "canary", "must be at least 1"));
        }
        if (stopAbovePercent != null && (stopAbovePercent < 0 || stopAbovePercent > 99)) {
            v.add(new FieldViolation(prefix + "stopAbovePercent", "must be between 0 and 99, or absent to continue"));
        }
        return v;
    }

    /** The batch of the host at {@code position} (0-based) of {@code total}. */
    public int batchOf(int position, int total) {
        return switch (mode) {
            case "rolling" -> position / batchSize(total);
            case "canary" -> position < canary ? 0 : 1;
            default -> 0;
        };
    }

    private int batchSize(int total) {
        if (batchSize != null) {
            return batchSize;
        }
        return Math.max(1, (int) Math.ceil(total * batchPercent / 100.0));
    }

    /** Whether a confirmation is needed before {@code nextBatch} starts. */
    public boolean confirmBefore(int nextBatch) {
        return "canary".equals(mode) || ("rolling".equals(mode) && "confirm".equals(between));
    }

    public boolean pauseBetweenBatches() {
        return "rolling".equals(mode) && "pause".equals(between);
    }

    /** Most tasks in flight at once; {@link Integer#MAX_VALUE} for no limit. */
    public int limit() {
        return concurrency == null || concurrency == 0 ? Integer.MAX_VALUE : concurrency;
    }

    public boolean stopsAt(int failed, int total) {
        return stopAbovePercent != null && total > 0 && failed * 100L > (long) stopAbovePercent * total;
    }
}
