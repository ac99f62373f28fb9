package io.opsbase.agent.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.opsbase.agent.TestClock;
import io.opsbase.agent.outbox.Outbox;
import io.opsbase.agent.outbox.OutboxLimits;
import io.opsbase.protocol.AgentEndpoints;
import io.opsbase.protocol.InventoryRequest;
import io.opsbase.protocol.ProtocolJson;
import io.opsbase.protocol.inventory.InstalledPackage;
import io.opsbase.protocol.inventory.Inventory;
import io.opsbase.protocol.inventory.InventoryHash;
import io.opsbase.protocol.inventory.Memory;

class InventorySchedulerTest {

    @TempDir
    Path dir;

    private final TestClock clock = TestClock.at("2026-11-28T10:00:00Z");
    private long uptime = 100;
    private String bashVersion = "5.2.37-2";
    private final Supplier<Inventory> host = () -> new Inventory("web-1", "web-1.example.net", "3d1219c7c4c5404aaa1f6d2a48adfda4",
            null, List.of(), new Memory(8L << 30, List.of()), List.of(), List.of(), List.of(), null, uptime, "dpkg",
            List.of(new InstalledPackage("bash", bashVersion)));

    @Test
    void sendsTheFirstInventoryAtOnce() throws IOException {
        var outbox = outbox();

        assertThat(scheduler(outbox).tick()).isTrue();

        var entry = outbox.oldest().orElseThrow();
        var request = ProtocolJson.read(entry.body(), InventoryRequest.class);
        assertThat(entry.path()).isEqualTo(AgentEndpoints.INVENTORY);
        assertThat(request.idempotencyKey()).isEqualTo(entry.idempotencyKey());
        assertThat(request.contentHash()).isEqualTo(InventoryHash.of(host.get()));
        assertThat(request.inventory().hostname()).isEqualTo("web-1");
    }

    @Test
    void sendsNothingWhileOnlyUptimeChanges() throws IOException {
        var outbox = outbox();
        var scheduler = scheduler(outbox);
        scheduler.tick();
        uptime = 5_000;
        clock.advance(Duration.ofHours(1));

        assertThat(scheduler.tick()).isFalse();
        assertThat(outbox.size()).isEqualTo(1);
    }

    @Test
    void sendsAgainWhenTheContentChanges() throws IOException {
        var outbox = outbox();
        var scheduler = scheduler(outbox);
        scheduler.tick();
        bashVersion = "5.2.37-3";

        assertThat(scheduler.tick()).isTrue();
        assertThat(outbox.size()).isEqualTo(2);
    }

    @Test
    void sendsAnUnchangedInventoryOnceADay() throws IOException {
        var outbox = outbox();
        var scheduler = scheduler(outbox);
        scheduler.tick();

        clock.advance(Duration.ofHours(23).plusMinutes(59));
        assertThat(scheduler.tick()).isFalse();
        clock.advance(Duration.ofMinutes(1));
        assertThat(scheduler.tick()).isTrue();
    }

    @Test
    void remembersWhatItSentAcrossARestart() throws IOException {
        var outbox = outbox();
        scheduler(outbox).tick();

        assertThat(scheduler(outbox()).tick()).isFalse();
    }

    @Test
    void sendsAgainAfterANewEnrollmentMadeItForget() throws IOException {
        var outbox = outbox();
        var scheduler = scheduler(outbox);
        scheduler.tick();
        scheduler.forget();

        assertThat(scheduler.tick()).isTrue();
    }

    private Outbox outbox() throws IOException {
        return Outbox.open(dir.resolve("outbox"), OutboxLimits.STANDARD, clock);
    }

    private InventoryScheduler scheduler(Outbox outbox) {
        return new InventoryScheduler(() -> CollectedInventory.of(host.get(), clock.instant()), outbox, dir, clock, InventoryScheduler.DAILY);
    }
}
