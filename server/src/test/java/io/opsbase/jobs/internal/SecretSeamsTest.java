package io.opsbase.jobs.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class SecretSeamsTest {

    private static final String MASK = ParameterBinder.MASK;

    @Test
    void aSecretSplitByAChunkBoundaryMovesWhollyIntoTheLaterChunkMasked() {
        var first = SecretSeams.mask(null, "login with hunter", List.of("hunter2!"), false);
        assertThat(first.current()).isEqualTo("login with hunter");
        assertThat(first.live()).as("the tail that could start a secret is held back").isEqualTo("login with");
        var second = SecretSeams.mask(first.current(), "2! done\n", List.of("hunter2!"), true);
        assertThat(second.previousChanged()).isTrue();
        assertThat(second.previous()).isEqualTo("login with");
        assertThat(second.current()).isEqualTo(" " + MASK + " done\n");
        assertThat(second.previous() + second.current()).doesNotContain("hunter").doesNotContain("2!");
        assertThat(first.live() + second.live()).isEqualTo("login with " + MASK + " done\n");
    }

    @Test
    void chunksWithoutASecretAcrossTheirBoundaryStayAsTheyCame() {
        var first = SecretSeams.mask(null, "abc hunter2! def", List.of("hunter2!"), false);
        assertThat(first.current()).isEqualTo("abc " + MASK + " def");
        var second = SecretSeams.mask(first.current(), "ghi", List.of("hunter2!"), true);
        assertThat(second.previousChanged()).isFalse();
        assertThat(second.previous()).isEqualTo(first.current());
        assertThat(second.current()).isEqualTo("ghi");
        assertThat(first.live() + second.live()).isEqualTo("abc " + MASK + " defghi");
    }

    @Test
    void withoutSecretsNothingIsHeldBack() {
        var only = SecretSeams.mask("before", "now", List.of(), false);
        assertThat(only).isEqualTo(new SecretSeams.Seam("before", false, "now", "now"));
        assertThat(SecretSeams.mask(null, null, List.of("s3cret"), true).current()).isNull();
    }

    /** Random output cut at random places: stored and published text never hold a secret, and read whole equal the masked output. */
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
            List<String> chunks = new ArrayList<>();
            int at = 0;
            while (at < whole.length()) {
                int next = Math.min(whole.length(), at + random.nextInt(12, 200));
                chunks.add(whole.substring(at, next));
                at = next;
            }
            List<String> stored = new ArrayList<>();
            StringBuilder live = new StringBuilder();
            for (int i = 0; i < chunks.size(); i++) {
                String previous = stored.isEmpty() ? null : stored.getLast();
                var seam = SecretSeams.mask(previous, chunks.get(i), secrets, i == chunks.size() - 1);
                if (previous != null) {
                    stored.set(stored.size() - 1, seam.previous());
                }
                stored.add(seam.current());
                live.append(seam.live());
            }
            String expected = ParameterBinder.mask(whole.toString(), secrets);
            assertThat(String.join("", stored)).isEqualTo(expected);
            assertThat(live.toString()).isEqualTo(expected);
            for (String s : stored) {
                assertThat(s).doesNotContain(secrets.get(0)).doesNotContain(secrets.get(1));
            }
        }
    }
}
