package io.opsbase.jobs.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class SecretSeamsTest {

    private static final String MASK = ParameterBinder.MASK;
    private static final List<String> SECRET = List.of("hunter2!");

    @Test
    void aSecretSplitByAChunkBoundaryMovesWhollyIntoTheLaterChunkMasked() {
        Stream stream = new Stream(SECRET);
        stream.chunk("login with hunter", false);
        assertThat(stream.live).as("the tail that could start a secret is held back").hasToString("login with");
        stream.chunk("2! done\n", true);
        assertThat(stream.stored).containsExactly("login with", " " + MASK + " done\n");
        assertThat(stream.live).hasToString("login with " + MASK + " done\n");
    }

    @Test
    void aSecretSplitAcrossChunksWithNothingOnTheStreamBetweenIsStillFound() {
        Stream stream = new Stream(SECRET);
        stream.chunk("pw: hun", false);
        stream.chunk("", false);
        stream.chunk(null, false);
        stream.chunk("ter2!\n", true);
        assertThat(String.join("", stream.storedText())).isEqualTo("pw: " + MASK + "\n");
        assertThat(stream.stored).noneMatch(s -> s != null && s.contains("hun"));
        assertThat(stream.live).hasToString("pw: " + MASK + "\n");
    }

    @Test
    void chunksWithoutASecretAcrossTheirBoundaryStayAsTheyCame() {
        Stream stream = new Stream(SECRET);
        stream.chunk("abc hunter2! def", false);
        stream.chunk("ghi", true);
        assertThat(stream.stored).containsExactly("abc " + MASK + " def", "ghi");
        assertThat(stream.live).hasToString("abc " + MASK + " defghi");
    }

    @Test
    void withoutSecretsNothingIsHeldBackOrMoved() {
        assertThat(SecretSeams.mask("", "now", List.of(), false)).isEqualTo(new SecretSeams.Seam(0, "now", "now"));
        assertThat(SecretSeams.mask("", null, SECRET, true).current()).isNull();
    }

    /**
     * Random output cut at random places, with empty chunks and chunks shorter than a secret:
     * the stored chunks and the published pieces never hold a whole secret nor one's start at a
     * chunk's end, and read whole each equals the output masked at once.
     */
    @Test
    void randomlyCutOutputNeverShowsASecretStoredOrLive() {
        SplittableRandom random = new SplittableRandom(7);
        List<String> secrets = List.of("Tr0ub4dor&3", "pw9");
        for (int round = 0; round < 500; round++) {
            StringBuilder whole = new StringBuilder();
            for (int i = 0; i < 40; i++) {
                whole.append(switch (random.nextInt(4)) {
                    case 0 -> secrets.get(0);
                    case 1 -> secrets.get(1);
                    default -> "x".repeat(random.nextInt(1, 30)) + "\n";
                });
            }
            Stream stream = new Stream(secrets);
            int at = 0;
            while (at < whole.length()) {
                if (random.nextInt(5) == 0) {
                    stream.chunk(random.nextBoolean() ? "" : null, false);
                    continue;
                }
                int next = Math.min(whole.length(), at + random.nextInt(1, 60));
                stream.chunk(whole.substring(at, next), next == whole.length());
                at = next;
            }
            String expected = ParameterBinder.mask(whole.toString(), secrets);
            assertThat(String.join("", stream.storedText())).isEqualTo(expected);
            assertThat(stream.live.toString()).doesNotContain(secrets.get(0)).doesNotContain(secrets.get(1));
            for (String piece : stream.pieces) {
                assertThat(piece).as("no piece ends with the start of a secret").doesNotEndWith("Tr0ub").doesNotEndWith("pw");
            }
            if (!stream.movedShortMask) {
                assertThat(stream.live).hasToString(expected);
            }
            for (String s : stream.stored) {
                if (s != null) {
                    assertThat(s).doesNotContain(secrets.get(0)).doesNotContain(secrets.get(1)).doesNotEndWith("Tr0ub");
                }
            }
        }
    }

    /** One stream of one task as TaskReportListener keeps it: stored rows and the live pieces. */
    private static final class Stream {
        final List<String> secrets;
        final List<String> stored = new ArrayList<>();
        final StringBuilder live = new StringBuilder();
        final List<String> pieces = new ArrayList<>();
        /** A move left a masked chunk shorter than the hold: live may then repeat up to a hold of published text. */
        boolean movedShortMask;

        Stream(List<String> secrets) {
            this.secrets = secrets;
        }

        void chunk(String text, boolean last) {
            List<String> newestFirst = new ArrayList<>(stored.reversed());
            var seam = SecretSeams.mask(SecretSeams.recent(newestFirst, SecretSeams.hold(secrets)), text, secrets, last);
            if (seam.moved() > 0) {
                List<String> trimmed = SecretSeams.trimmed(newestFirst, seam.moved());
                stored.clear();
                stored.addAll(trimmed.reversed());
            }
            if (seam.moved() > 0 && seam.current().length() < SecretSeams.hold(secrets)) {
                movedShortMask = true;
            }
            stored.add(seam.current());
            live.append(seam.live());
            pieces.add(seam.live());
        }

        List<String> storedText() {
            return stored.stream().map(s -> s == null ? "" : s).toList();
        }
    }
}
