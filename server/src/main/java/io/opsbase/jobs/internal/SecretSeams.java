package io.opsbase.jobs.internal;

import java.util.List;

/**
 * Masks secret values in output that arrives in chunks, including a value that a chunk boundary
 * splits ({@code "pass"} at the end of one chunk, {@code "word"} at the start of the next).
 *
 * <p>Stored chunks: when the tail of the previous chunk and the head of this one together hold a
 * secret, that tail moves into this chunk ({@link Seam#previous} is the previous chunk without it,
 * {@link Seam#current} the masked tail + chunk), so no row ever keeps part of a secret. Live
 * output: a piece is published without its last {@code longest − 1} characters, which follow at
 * the start of the next piece ({@link Seam#live}), so no event shows part of a secret either. The
 * last chunk publishes everything. A secret longer than a whole chunk is only masked where it lies
 * inside one chunk or across one boundary (chunks are several KiB; secrets are short).
 */
final class SecretSeams {

    private SecretSeams() {
    }

    /**
     * @param previous        the previous chunk to store (without its tail when the tail moved), null for the first
     * @param previousChanged whether {@code previous} differs from what is stored
     * @param current         this chunk to store, masked (null when the stream sent nothing and nothing moved)
     * @param live            what to publish now
     */
    record Seam(String previous, boolean previousChanged, String current, String live) {
    }

    /**
     * @param previous the previous chunk of the same stream as stored (masked), or null for the first chunk
     * @param current  this chunk as the agent sent it
     * @param last     whether this is the task's last chunk (nothing is held back then)
     */
    static Seam mask(String previous, String current, List<String> secrets, boolean last) {
        String text = current == null ? "" : current;
        int hold = longest(secrets) - 1;
        if (secrets.isEmpty()) {
            return new Seam(previous, false, current, text);
        }
        String before = previous == null ? "" : previous;
        int tailLength = Math.min(hold, before.length());
        String tail = before.substring(before.length() - tailLength);
        String joined = tail + text;
        boolean spans = spansSeam(joined, tailLength, secrets);
        String stored;
        String kept;
        if (spans) {
            kept = before.substring(0, before.length() - tailLength);
            stored = ParameterBinder.mask(joined, secrets);
        } else {
            kept = before;
            stored = ParameterBinder.mask(text, secrets);
        }
        // Live: the previous piece was published without its last `hold` characters (its tail);
        // they lead this piece, unless they moved into the stored chunk (then `stored` starts with them).
        String unpublished = spans ? stored : tail + stored;
        String live = last ? unpublished : unpublished.substring(0, Math.max(0, unpublished.length() - hold));
        return new Seam(previous == null ? null : kept, spans, current == null && !spans ? null : stored, live);
    }

    /** True when a secret starts inside the first {@code seam} characters and ends after them. */
    private static boolean spansSeam(String joined, int seam, List<String> secrets) {
        for (String s : secrets) {
            for (int at = joined.indexOf(s); at >= 0 && at < seam; at = joined.indexOf(s, at + 1)) {
                if (at + s.length() > seam) {
                    return true;
                }
            }
        }
        return false;
    }

    private static int longest(List<String> secrets) {
        int max = 0;
        for (String s : secrets) {
            max = Math.max(max, s.length());
        }
        return max;
    }
}
