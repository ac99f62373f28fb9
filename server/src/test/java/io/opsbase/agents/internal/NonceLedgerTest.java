package io.opsbase.agents.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;

import io.opsbase.agents.AgentEvent;
import io.opsbase.testing.MutableClock;

/**
 * Replay protection across nodes and restarts, on the real database (H2, or PostgreSQL with
 * -Dopsbase.test.db=postgres). Each "node" is a NonceLedger of its own on the same tables, driven
 * by its own clock; each test uses agent ids of its own.
 */
@SpringBootTest
class NonceLedgerTest {

    @Autowired
    JdbcTemplate jdbc;

    final List<Object> events = new CopyOnWriteArrayList<>();
    final ApplicationEventPublisher publisher = events::add;
    final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    final String agent = Long.toString(ThreadLocalRandom.current().nextLong(1_000_000, Long.MAX_VALUE / 2));

    NonceLedger node() {
        return new NonceLedger(jdbc, publisher, clock);
    }

    static String nonce() {
        byte[] b = new byte[16];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    @Test
    void refusesAReplayToTheSameNodeWithoutTheDatabase() {
        NonceLedger node = node();
        String n = nonce();
        assertThat(node.firstUse(agent, n, clock.instant())).isTrue();
        assertThat(node.firstUse(agent, n, clock.instant())).isFalse();
        assertThat(node.firstUse("2", n, clock.instant())).isTrue();
    }

    @Test
    void refusesAReplayToAnotherNodeOnceBothHaveSynchronised() {
        NonceLedger a = node();
        NonceLedger b = node();
        String n = nonce();
        assertThat(a.firstUse(agent, n, clock.instant())).isTrue();
        clock.advance(Duration.ofSeconds(1));
        a.synchronise();
        clock.advance(Duration.ofSeconds(1));
        b.synchronise();
        assertThat(b.firstUse(agent, n, clock.instant().minusSeconds(2))).isFalse();
        assertThat(events).isEmpty();
    }

    @Test
    void detectsAndAuditsAReplayAcceptedByTwoNodesBeforeTheySynchronised() {
        NonceLedger a = node();
        NonceLedger b = node();
        String n = nonce();
        assertThat(a.firstUse(agent, n, clock.instant())).isTrue();
        assertThat(b.firstUse(agent, n, clock.instant())).isTrue();
        a.synchronise();
        b.synchronise();
        assertThat(events).singleElement().isInstanceOfSatisfying(AgentEvent.class, e -> {
            assertThat(e.action()).isEqualTo("agent.replay-detected");
            assertThat(e.targetId()).isEqualTo(agent);
        });
    }

    @Test
    void aCleanRestartRemembersTheNoncesOfThePreviousProcess() {
        NonceLedger before = node();
        String n = nonce();
        Instant signedAt = clock.instant();
        assertThat(before.firstUse(agent, n, signedAt)).isTrue();
        before.destroy();
        clock.advance(Duration.ofSeconds(20));
        NonceLedger after = node();
        assertThat(after.firstUse(agent, n, signedAt)).isFalse();
        // A request of the agent signed after the start is served as usual.
        assertThat(after.firstUse(agent, nonce(), clock.instant())).isTrue();
    }

    @Test
    void aCrashBeforeTheNoncesWereWrittenReopensNoReplayWindow() {
        NonceLedger crashed = node();
        String n = nonce();
        Instant signedAt = clock.instant();
        assertThat(crashed.firstUse(agent, n, signedAt)).isTrue();
        // No synchronise, no destroy: the process died with the nonce only in its memory.
        clock.advance(Duration.ofSeconds(8));
        NonceLedger restarted = node();
        assertThat(restarted.firstUse(agent, n, signedAt)).isFalse();
        assertThat(restarted.firstUse(agent, nonce(), clock.instant().minusSeconds(1))).isFalse();
        assertThat(restarted.firstUse(agent, nonce(), clock.instant())).isTrue();
    }

    @Test
    void forgetsNoncesOnceTheirRequestsLeftTheWindow() {
        NonceLedger node = node();
        node.firstUse(agent, nonce(), clock.instant());
        long remembered = node.remembered();
        assertThat(remembered).isPositive();
        clock.advance(Duration.ofSeconds(311));
        node.synchronise();
        assertThat(node.remembered()).isLessThan(remembered);
    }
}
