package io.opsbase.agents.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.opsbase.agents.internal.RecentNonces.Outcome;

class RecentNoncesTest {

    private static final String NONCE = "0123456789abcdef0123456789abcdef";

    @Test
    void refusesTheSecondUseOfANonceByTheSameAgent() {
        var nonces = new RecentNonces(100);
        assertThat(nonces.add(7, NONCE, 1_000)).isEqualTo(Outcome.FIRST_USE);
        assertThat(nonces.add(7, NONCE, 1_000)).isEqualTo(Outcome.SEEN);
        assertThat(nonces.add(8, NONCE, 1_000)).isEqualTo(Outcome.FIRST_USE);
        assertThat(nonces.add(7, "0123456789abcdef0123456789abcdee", 1_000)).isEqualTo(Outcome.FIRST_USE);
        assertThat(nonces.size()).isEqualTo(3);
    }

    @Test
    void remembersEveryNonceAsAPartitionGrows() {
        var nonces = new RecentNonces(1_000_000);
        var random = new Random(1);
        String[] all = new String[20_000];
        for (int i = 0; i < all.length; i++) {
            byte[] b = new byte[16];
            random.nextBytes(b);
            all[i] = HexFormat.of().formatHex(b);
            assertThat(nonces.add(1 + i % 50, all[i], 5_000)).isEqualTo(Outcome.FIRST_USE);
        }
        for (int i = 0; i < all.length; i++) {
            assertThat(nonces.add(1 + i % 50, all[i], 5_000)).isEqualTo(Outcome.SEEN);
        }
        assertThat(nonces.size()).isEqualTo(all.length);
    }

    @Test
    void forgetsAPartitionOnlyOnceItsLastSecondHasPassed() {
        var nonces = new RecentNonces(100);
        nonces.add(1, NONCE, 1_009);
        nonces.forgetExpired(1_009);
        assertThat(nonces.add(1, NONCE, 1_009)).isEqualTo(Outcome.SEEN);
        nonces.forgetExpired(1_010);
        assertThat(nonces.size()).isZero();
        assertThat(nonces.add(1, NONCE, 1_019)).isEqualTo(Outcome.FIRST_USE);
    }

    @Test
    void answersFullRatherThanForgetWhenTheBoundIsReached() {
        var nonces = new RecentNonces(2);
        nonces.add(1, "00000000000000000000000000000001", 100);
        nonces.add(1, "00000000000000000000000000000002", 100);
        assertThat(nonces.add(1, "00000000000000000000000000000003", 100)).isEqualTo(Outcome.FULL);
        assertThat(nonces.add(1, "00000000000000000000000000000001", 100)).isEqualTo(Outcome.SEEN);
        nonces.forgetExpired(200);
        assertThat(nonces.add(1, "00000000000000000000000000000003", 300)).isEqualTo(Outcome.FIRST_USE);
    }
}
