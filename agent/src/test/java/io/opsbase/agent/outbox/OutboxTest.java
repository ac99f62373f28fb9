package io.opsbase.agent.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.opsbase.agent.TestClock;

class OutboxTest {

    @TempDir
    Path dir;

    private final TestClock clock = TestClock.at("2026-11-28T10:00:00Z");

    @Test
    void keepsEntriesInOrderAcrossARestart() throws IOException {
        var outbox = Outbox.open(dir, OutboxLimits.STANDARD, clock);
        for (int i = 1; i <= 5; i++) {
            outbox.append("/api/v1/agent/inventory", "k" + i, body("report " + i));
        }

        var reopened = Outbox.open(dir, OutboxLimits.STANDARD, clock);

        assertThat(drainKeys(reopened)).containsExactly("k1", "k2", "k3", "k4", "k5");
    }

    @Test
    void keepsEveryFieldOfAnEntry() throws IOException {
        var outbox = Outbox.open(dir, OutboxLimits.STANDARD, clock);
        var written = outbox.append("/api/v1/agent/tasks/t-1/output", "k1", body("{\"stdout\":\"pong\"}"));

        var read = Outbox.open(dir, OutboxLimits.STANDARD, clock).oldest().orElseThrow();

        assertThat(read.sequence()).isEqualTo(written.sequence());
        assertThat(read.path()).isEqualTo("/api/v1/agent/tasks/t-1/output");
        assertThat(read.idempotencyKey()).isEqualTo("k1");
        assertThat(read.createdAt()).isEqualTo(clock.instant());
        assertThat(new String(read.body(), StandardCharsets.UTF_8)).isEqualTo("{\"stdout\":\"pong\"}");
    }

    @Test
    void continuesTheSequenceAfterARestart() throws IOException {
        var outbox = Outbox.open(dir, OutboxLimits.STANDARD, clock);
        var first = outbox.append("/p", "k1", body("a"));
        outbox.remove(first.sequence());
        outbox.append("/p", "k2", body("b"));

        var next = Outbox.open(dir, OutboxLimits.STANDARD, clock).append("/p", "k3", body("c"));

        assertThat(next.sequence()).isEqualTo(first.sequence() + 2);
    }

    @Test
    void removesAnEntryOnlyWhenAcknowledged() throws IOException {
        var outbox = Outbox.open(dir, OutboxLimits.STANDARD, clock);
        var first = outbox.append("/p", "k1", body("a"));
        outbox.append("/p", "k2", body("b"));

        assertThat(outbox.oldest().orElseThrow().idempotencyKey()).as("reading does not remove").isEqualTo("k1");
        outbox.remove(first.sequence());

        assertThat(outbox.size()).isEqualTo(1);
        assertThat(Outbox.open(dir, OutboxLimits.STANDARD, clock).oldest().orElseThrow().idempotencyKey()).isEqualTo("k2");
    }

    @Test
    void dropsTheOldestEntriesWhenFullAndCountsThemAcrossRestarts() throws IOException {
        var outbox = Outbox.open(dir, new OutboxLimits(3, 1_000_000), clock);
        for (int i = 1; i <= 5; i++) {
            outbox.append("/p", "k" + i, body("report " + i));
        }

        assertThat(outbox.droppedTotal()).isEqualTo(2);
        var reopened = Outbox.open(dir, new OutboxLimits(3, 1_000_000), clock);
        assertThat(reopened.droppedTotal()).isEqualTo(2);
        assertThat(drainKeys(reopened)).containsExactly("k3", "k4", "k5");
    }

    @Test
    void dropsTheOldestEntriesWhenOverItsByteLimit() throws IOException {
        var outbox = Outbox.open(dir, new OutboxLimits(100, 500), clock);
        for (int i = 1; i <= 4; i++) {
            outbox.append("/p", "k" + i, new byte[200]);
        }

        assertThat(outbox.droppedTotal()).isEqualTo(2);
        assertThat(drainKeys(outbox)).containsExactly("k3", "k4");
    }

    @Test
    void skipsACorruptEntryAndDeliversTheRest() throws IOException {
        var outbox = Outbox.open(dir, OutboxLimits.STANDARD, clock);
        outbox.append("/p", "k1", body("first"));
        var second = outbox.append("/p", "k2", body("second"));
        outbox.append("/p", "k3", body("third"));
        var file = outbox.fileOf(second.sequence());
        var bytes = Files.readAllBytes(file);
        bytes[bytes.length - 2] ^= 0x5a;
        Files.write(file, bytes);

        var reopened = Outbox.open(dir, OutboxLimits.STANDARD, clock);

        assertThat(drainKeys(reopened)).containsExactly("k1", "k3");
        assertThat(reopened.corruptTotal()).isEqualTo(1);
        assertThat(file).doesNotExist();
    }

    @Test
    void skipsATornEntryCutOffMidWrite() throws IOException {
        var outbox = Outbox.open(dir, OutboxLimits.STANDARD, clock);
        var torn = outbox.append("/p", "k1", body("a report that was cut off"));
        outbox.append("/p", "k2", body("whole"));
        var file = outbox.fileOf(torn.sequence());
        var bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));

        assertThat(drainKeys(Outbox.open(dir, OutboxLimits.STANDARD, clock))).containsExactly("k2");
    }

    @Test
    void skipsFilesTooShortToHoldAHeader() throws IOException {
        var outbox = Outbox.open(dir, OutboxLimits.STANDARD, clock);
        var entry = outbox.append("/p", "k1", body("a"));
        Files.write(outbox.fileOf(entry.sequence()), new byte[] {'O', 'B'});

        assertThat(Outbox.open(dir, OutboxLimits.STANDARD, clock).oldest()).isEmpty();
    }

    @Test
    void removesTemporaryFilesLeftByACrashMidWrite() throws IOException {
        Outbox.open(dir, OutboxLimits.STANDARD, clock).append("/p", "k1", body("a"));
        var leftover = dir.resolve(".tmp-00000000000000000002.entry-123");
        Files.write(leftover, new byte[] {1, 2, 3});

        var reopened = Outbox.open(dir, OutboxLimits.STANDARD, clock);

        assertThat(leftover).doesNotExist();
        assertThat(drainKeys(reopened)).containsExactly("k1");
    }

    private static byte[] body(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> drainKeys(Outbox outbox) throws IOException {
        var keys = new ArrayList<String>();
        for (var entry = outbox.oldest(); entry.isPresent(); entry = outbox.oldest()) {
            keys.add(entry.get().idempotencyKey());
            outbox.remove(entry.get().sequence());
        }
        return keys;
    }
}
