package io.opsbase.agent.inventory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Objects;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opsbase.agent.json.Json;
import io.opsbase.agent.json.Messages;
import io.opsbase.agent.json.Timestamps;
import io.opsbase.agent.outbox.Outbox;
import io.opsbase.agent.state.PrivateFiles;
import io.opsbase.protocol.AgentEndpoints;

/**
 * Decides when the inventory goes to the server: the first time (right after enrollment), whenever
 * its content hash changes, and at least once per {@code refreshInterval} (a day) so the server can
 * tell a silent host from a gone one. Each {@link #tick} collects, compares and, if due, puts a
 * report in the outbox; what was last queued is kept in {@value #STATE_FILE} so a restart does not
 * resend an unchanged inventory. Not thread-safe: call from one scheduler thread.
 */
public final class InventoryScheduler {

    public static final String STATE_FILE = "inventory-state.json";
    public static final Duration DAILY = Duration.ofDays(1);

    /** The hash and time of the last inventory put in the outbox. */
    record LastReport(String contentHash, Instant queuedAt) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(InventoryScheduler.class);

    private final Supplier<CollectedInventory> collector;
    private final Outbox outbox;
    private final Path stateFile;
    private final Clock clock;
    private final Duration refreshInterval;

    public InventoryScheduler(Supplier<CollectedInventory> collector, Outbox outbox, Path stateDir, Clock clock, Duration refreshInterval) {
        this.collector = collector;
        this.outbox = outbox;
        this.stateFile = stateDir.resolve(STATE_FILE);
        this.clock = clock;
        this.refreshInterval = refreshInterval;
    }

    /** Collects the inventory and queues it if due; returns whether it was queued. */
    public boolean tick() throws IOException {
        var collected = collector.get();
        var hash = collected.contentHash();
        var now = clock.instant();
        var last = lastReport();
        String why;
        if (last == null) {
            why = "first report";
        } else if (!last.contentHash().equals(hash)) {
            why = "the inventory changed";
        } else if (!now.isBefore(last.queuedAt().plus(refreshInterval))) {
            why = "daily refresh";
        } else {
            return false;
        }
        outbox.append(AgentEndpoints.INVENTORY, collected.idempotencyKey(), collected.requestBody());
        var report = new LinkedHashMap<String, Object>();
        report.put("contentHash", hash);
        report.put("queuedAt", Timestamps.format(now));
        PrivateFiles.writeAtomically(stateFile, Json.write(report));
        LOG.info("inventory queued ({}): hash {}", why, hash.substring(0, 12));
        return true;
    }

    /** Forgets the last report, so the next tick sends; used after a new enrollment. */
    public void forget() throws IOException {
        Files.deleteIfExists(stateFile);
    }

    private LastReport lastReport() {
        if (!Files.exists(stateFile)) {
            return null;
        }
        try {
            var json = Messages.object(Json.parse(Files.readAllBytes(stateFile)));
            return new LastReport(Objects.requireNonNull(Messages.text(json, "contentHash")),
                    Objects.requireNonNull(Messages.instant(json, "queuedAt")));
        } catch (IOException | RuntimeException e) {
            LOG.warn("inventory: {} is unreadable ({}); sending the inventory again", stateFile, e.getMessage());
            return null;
        }
    }
}
