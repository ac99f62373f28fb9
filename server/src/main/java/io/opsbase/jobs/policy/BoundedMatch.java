package io.opsbase.jobs.policy;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Regex search with a work budget, so a rule with catastrophic backtracking ({@code (a+)+$}) cannot hold a
 * thread: the text is read through a {@link CharSequence} that counts character reads and gives up after
 * {@link #BUDGET}. Counting reads instead of timing keeps the outcome the same on every machine and under load.
 */
final class BoundedMatch {

    /** Character reads per (rule, command); a linear pattern over a 64 KiB command uses well under 1 %. */
    static final long BUDGET = 5_000_000;

    /** The outcome: found (with the matched text), not found, or gave up. */
    record Result(boolean found, boolean exhausted, String matched) {
    }

    private BoundedMatch() {
    }

    static Result find(Pattern pattern, String text) {
        try {
            Matcher m = pattern.matcher(new CountingText(text, new long[] {BUDGET}, 0, text.length()));
            if (m.find()) {
                return new Result(true, false, text.substring(m.start(), m.end()));
            }
            return new Result(false, false, null);
        } catch (BudgetExhausted e) {
            return new Result(false, true, null);
        }
    }

    private static final class BudgetExhausted extends RuntimeException {
        BudgetExhausted() {
            super("regex budget exhausted", null, false, false);
        }
    }

    /** A window on a string whose reads draw on a shared budget. Not thread-safe; one per search. */
    private record CountingText(String text, long[] budget, int from, int to) implements CharSequence {

        @Override
        public int length() {
            return to - from;
        }

        @Override
        public char charAt(int index) {
            if (--budget[0] < 0) {
                throw new BudgetExhausted();
            }
            return text.charAt(from + index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new CountingText(text, budget, from + start, from + end);
        }

        @Override
        public String toString() {
            return text.substring(from, to);
        }
    }
}
