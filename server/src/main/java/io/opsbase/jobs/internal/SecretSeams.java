package io.opsbase.jobs.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Masks secret values in one output stream (stdout or stderr) that arrives in chunks, including a
 * value that chunk boundaries split ({@code "pass"} at the end of one chunk, {@code "word"} in a
 * later one — chunks with nothing on this stream may lie between).
 *
 * <p>Let {@code hold} be the longest secret's length minus one, and the <em>recent</em> text the
 * last {@code hold} characters stored for the stream before this chunk. Live output is published
 * without its last {@code hold} characters (they follow at the start of the next piece; the last
 * chunk publishes everything), so the recent text is always unpublished. When the recent text and
 * this chunk together hold a secret that starts inside the recent text, the recent text moves into
 * this chunk ({@link Seam#moved} characters come off the end of the stored rows) and is masked
 * with it: no stored row and no published piece ever holds part of a secret. Otherwise the stored
 * rows stay as they are and this chunk is masked alone.
 *
 * <p>Known limit, live only: when text moved and the masked chunk came out shorter than
 * {@code hold} (a long secret, little after it), the next piece may repeat up to {@code hold}
 * characters already published — already masked text, never part of a secret. The stored output,
 * which the log and the result groups read, is exact.
 */
final class SecretSeams {

    private SecretSeams() {
    }

    /**
     * What to store and publish for one stream of a chunk.
     *
     * @param moved   characters to take off the end of the stream's stored text before this chunk
     * @param current this chunk's text to store, masked (null when the agent sent none and nothing moved)
     * @param live    what to publish now
     */
    record Seam(int moved, String current, String live) {
    }

    /** The longest secret's length minus one: how much text could be the start of a secret. */
    static int hold(List<String> secrets) {
        int max = 0;
        for (String s : secrets) {
            max = Math.max(max, s.length());
        }
        return Math.max(0, max - 1);
    }

    /** The last {@code hold} characters of the stored texts, given newest first (nulls count as empty). */
    static String recent(List<String> newestFirst, int hold) {
        StringBuilder out = new StringBuilder();
        for (String text : newestFirst) {
            if (out.length() >= hold) {
                break;
            }
            if (text != null && !text.isEmpty()) {
                out.insert(0, text.length() <= hold - out.length() ? text : text.substring(text.length() - (hold - out.length())));
            }
        }
        return out.toString();
    }

    /**
     * @param recent  {@link #recent} of the stream's stored text before this chunk
     * @param current this chunk's text as the agent sent it
     * @param last    whether this is the task's last chunk (nothing is held back then)
     */
    static Seam mask(String recent, String current, List<String> secrets, boolean last) {
        String text = current == null ? "" : current;
        if (secrets.isEmpty()) {
            return new Seam(0, current, text);
        }
        int hold = hold(secrets);
        String joined = recent + text;
        boolean spans = spansSeam(joined, recent.length(), secrets);
        String stored = ParameterBinder.mask(spans ? joined : text, secrets);
        String unpublished = spans ? stored : recent + stored;
        String live = last ? unpublished : unpublished.substring(0, Math.max(0, unpublished.length() - hold));
        return new Seam(spans ? recent.length() : 0, current == null && !spans ? null : stored, live);
    }

    /** The stored texts, newest first, with {@code moved} characters taken off the end of the whole. */
    static List<String> trimmed(List<String> newestFirst, int moved) {
        List<String> out = new ArrayList<>(newestFirst.size());
        int left = moved;
        for (String text : newestFirst) {
            if (left == 0 || text == null || text.isEmpty()) {
                out.add(text);
                continue;
            }
            int cut = Math.min(left, text.length());
            out.add(text.substring(0, text.length() - cut));
            left -= cut;
        }
        return out;
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
}
