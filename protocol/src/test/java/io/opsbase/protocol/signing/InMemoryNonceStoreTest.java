package io.opsbase.protocol.signing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.opsbase.protocol.signing.SignatureVerifierTest.MutableClock;

class InMemoryNonceStoreTest {

    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
    private final MutableClock clock = new MutableClock(T0);

    @Test
    void refusesANonceSeenBeforeFromTheSameAgentButNotFromAnother() {
        var store = new InMemoryNonceStore(clock, Duration.ofSeconds(300), 100);

        assertThat(store.firstUse("a", "n1", T0)).isTrue();
        assertThat(store.firstUse("a", "n1", T0)).isFalse();
        assertThat(store.firstUse("b", "n1", T0)).isTrue();
    }

    @Test
    void forgetsNoncesOlderThanTheWindow() {
        var store = new InMemoryNonceStore(clock, Duration.ofSeconds(300), 100);
        store.firstUse("a", "n1", T0);
        store.firstUse("a", "n2", T0.plusSeconds(200));

        clock.advance(Duration.ofSeconds(301));

        assertThat(store.size()).isEqualTo(1);
    }

    @Test
    void staysWithinCapacityAndRefusesRequestsItCanNoLongerCheck() {
        var store = new InMemoryNonceStore(clock, Duration.ofSeconds(300), 2);
        store.firstUse("a", "n1", T0);
        store.firstUse("a", "n2", T0.plusSeconds(1));
        store.firstUse("a", "n3", T0.plusSeconds(2));

        assertThat(store.size()).isEqualTo(2);
        assertThat(store.firstUse("a", "n1", T0)).as("n1 was forgotten, so a replay of it must still fail").isFalse();
        assertThat(store.firstUse("a", "n4", T0.plusSeconds(3))).isTrue();
    }
}
