package io.opsbase.agent.outbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opsbase.agent.state.PrivateFiles;

/**
 * A bounded, durable FIFO of reports for the server.
 *
 * <p>On disk: one file per entry in the outbox directory, named by its zero-padded sequence number
 * ({@code 00000000000000000042.entry}) and laid out as {@link EntryFile} describes, written
 * atomically by {@link PrivateFiles#writeAtomically}. The running total of dropped entries is kept
 * in {@value #DROPPED_FILE}. An entry is deleted only by {@link #remove} (after the server
 * acknowledged it) or by {@link #append} when the outbox is over its {@link OutboxLimits} — then the
 * oldest go first, and each drop is counted and logged.
 *
 * <p>Invariants: sequences only grow, also across restarts (the next one is one past the highest
 * file found); {@link #oldest} returns entries in sequence order; a corrupt or torn file is logged,
 * deleted and skipped, never thrown. All public methods are synchronized; {@link #awaitOldest}
 * blocks until an entry exists.
 */
public final class Outbox {

    public static final String DROPPED_FILE = "dropped";

    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
    private static final String ENTRY_SUFFIX = ".entry";
    private static final int SEQUENCE_DIGITS = 20;

    private final Path dir;
    private final OutboxLimits limits;
    private final Clock clock;
    /** Sequence → file size, for every entry file on disk. */
    private final TreeMap<Long, Long> sizes = new TreeMap<>();
    private long totalBytes;
    private long nextSequence;
    private long droppedTotal;
    private long corruptTotal;

    private Outbox(Path dir, OutboxLimits limits, Clock clock) {
        this.dir = dir;
        this.limits = limits;
        this.clock = clock;
    }

    public static Outbox open(Path dir, OutboxLimits limits, Clock clock) throws IOException {
        var outbox = new Outbox(PrivateFiles.directory(dir), limits, clock);
        outbox.scan();
        return outbox;
    }

    private void scan() throws IOException {
        try (var files = Files.list(dir)) {
            for (var file : (Iterable<Path>) files::iterator) {
                var name = file.getFileName().toString();
                var sequence = sequenceOf(name);
                if (sequence >= 0) {
                    var size = Files.size(file);
                    sizes.put(sequence, size);
                    totalBytes += size;
                } else if (name.startsWith(PrivateFiles.TEMP_PREFIX)) {
                    LOG.info("outbox: removing {}, left by an interrupted write", name);
                    Files.deleteIfExists(file);
                }
            }
        }
        nextSequence = sizes.isEmpty() ? 1 : sizes.lastKey() + 1;
        var dropped = dir.resolve(DROPPED_FILE);
        if (Files.exists(dropped)) {
            try {
                droppedTotal = Long.parseLong(Files.readString(dropped).trim());
            } catch (NumberFormatException e) {
                LOG.warn("outbox: {} is unreadable; counting dropped entries from 0 again", dropped);
            }
        }
        if (!sizes.isEmpty()) {
            LOG.info("outbox: {} entries ({} bytes) waiting from before the restart", sizes.size(), totalBytes);
        }
    }

    /** Stores a report; when that puts the outbox over its limits, the oldest entries are dropped. */
    public synchronized OutboxEntry append(String path, String idempotencyKey, byte[] body) throws IOException {
        var entry = new OutboxEntry(nextSequence++, idempotencyKey, path, clock.instant(), body);
        var bytes = EntryFile.encode(entry);
        if (bytes.length > limits.maxBytes()) {
            throw new IOException("a report of " + bytes.length + " bytes exceeds the whole outbox (" + limits.maxBytes() + " bytes)");
        }
        PrivateFiles.writeAtomically(fileOf(entry.sequence()), bytes);
        sizes.put(entry.sequence(), (long) bytes.length);
        totalBytes += bytes.length;
        dropOverflow();
        notifyAll();
        return entry;
    }

    private void dropOverflow() throws IOException {
        var dropped = 0;
        while (sizes.size() > limits.maxEntries() || totalBytes > limits.maxBytes()) {
            delete(sizes.firstKey());
            dropped++;
        }
        if (dropped > 0) {
            droppedTotal += dropped;
            PrivateFiles.writeAtomically(dir.resolve(DROPPED_FILE), Long.toString(droppedTotal).getBytes(StandardCharsets.US_ASCII));
            LOG.warn("outbox: full ({} entries, {} bytes at most); dropped the {} oldest, {} dropped in total",
                    limits.maxEntries(), limits.maxBytes(), dropped, droppedTotal);
        }
    }

    /** The oldest intact entry, skipping (and deleting) corrupt ones. */
    public synchronized Optional<OutboxEntry> oldest() {
        while (!sizes.isEmpty()) {
            var sequence = sizes.firstKey();
            try {
                return Optional.of(EntryFile.decode(sequence, Files.readAllBytes(fileOf(sequence))));
            } catch (EntryFile.CorruptEntryException e) {
                corruptTotal++;
                LOG.warn("outbox: skipping corrupt entry {} ({}); it is deleted", fileOf(sequence).getFileName(), e.getMessage());
            } catch (NoSuchFileException e) {
                LOG.warn("outbox: entry {} vanished from disk; skipping it", fileOf(sequence).getFileName());
            } catch (IOException e) {
                corruptTotal++;
                LOG.warn("outbox: cannot read entry {} ({}); skipping it", fileOf(sequence).getFileName(), e.toString());
            }
            forget(sequence);
        }
        return Optional.empty();
    }

    /** Waits up to {@code timeout} for an entry; for the delivery thread. */
    public synchronized Optional<OutboxEntry> awaitOldest(Duration timeout) throws InterruptedException {
        var deadline = System.nanoTime() + timeout.toNanos();
        while (sizes.isEmpty()) {
            var left = deadline - System.nanoTime();
            if (left <= 0) {
                return Optional.empty();
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return oldest();
    }

    /** Deletes an entry the server acknowledged. Removing an unknown sequence does nothing. */
    public synchronized void remove(long sequence) throws IOException {
        if (sizes.containsKey(sequence)) {
            delete(sequence);
        }
    }

    private void delete(long sequence) throws IOException {
        var size = sizes.remove(sequence);
        totalBytes -= size == null ? 0 : size;
        Files.deleteIfExists(fileOf(sequence));
    }

    private void forget(long sequence) {
        try {
            delete(sequence);
        } catch (IOException e) {
            LOG.warn("outbox: cannot delete {} ({})", fileOf(sequence).getFileName(), e.toString());
        }
    }

    /** Bytes the waiting entries take on disk. */
    public synchronized long bytes() {
        return totalBytes;
    }

    public synchronized int size() {
        return sizes.size();
    }

    /** Entries dropped because the outbox was full, since it was first created. */
    public synchronized long droppedTotal() {
        return droppedTotal;
    }

    /** Corrupt entries skipped since this process started. */
    public synchronized long corruptTotal() {
        return corruptTotal;
    }

    Path fileOf(long sequence) {
        var digits = Long.toString(sequence);
        return dir.resolve("0".repeat(SEQUENCE_DIGITS - digits.length()) + digits + ENTRY_SUFFIX);
    }

    /** The sequence number of an entry file name ({@code 00000000000000000042.entry}), or -1 for any other name. */
    static long sequenceOf(String name) {
        if (name.length() != SEQUENCE_DIGITS + ENTRY_SUFFIX.length() || !name.endsWith(ENTRY_SUFFIX)) {
            return -1;
        }
        for (int i = 0; i < SEQUENCE_DIGITS; i++) {
            if (name.charAt(i) < '0' || name.charAt(i) > '9') {
                return -1;
            }
        }
        try {
            return Long.parseLong(name, 0, SEQUENCE_DIGITS, 10);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
