package io.opsbase.metrics;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * The write-ahead log: segment files {@code wal/<16-digit number>.wal}, each a run of records
 * {@code u32 payloadLength | u32 crc32c(payload) | payload} (big-endian). Payload formats belong to
 * the store ({@link DiskMetricStore}).
 *
 * <p>Group commit: {@link #append} only copies the record into a memory buffer and returns its
 * end position; one sync thread writes whatever has gathered, fsyncs once, and completes every
 * {@link #durable} future up to that position. While it syncs, new records gather in the other
 * buffer, so one fsync covers every batch that arrived meanwhile.
 *
 * <p>A segment file is created, and the sync thread started, by the first record written to it:
 * opening a store to read it creates no file and starts no thread.
 *
 * <p>After a failed write or fsync the log refuses further work ({@link StoreFailedException}):
 * a failed fsync cannot be retried safely. Thread-safe.
 */
final class WriteAheadLog implements Closeable {

    static final String DIR = "wal";
    private static final int MAX_RECORD = 64 << 20;

    private final Disk disk;
    private final Path dir;
    private final Object lock = new Object();
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private final CRC32C crc = new CRC32C();
    private Thread syncer;
    private byte[] pending = new byte[1 << 16];
    private byte[] spare = new byte[1 << 16];
    private int pendingLength;
    private long appended;
    private long synced;
    private boolean writing;
    private boolean closed;
    private IOException failure;
    private long segment;
    private Disk.AppendLog log;

    private record Waiter(long position, CompletableFuture<Void> future) {
    }

    WriteAheadLog(Disk disk, Path dir, long segment) throws IOException {
        this.disk = disk;
        this.dir = dir;
        disk.createDirectories(dir);
        this.segment = segment;
    }

    static Path segmentPath(Path dir, long segment) {
        return dir.resolve("%016d.wal".formatted(segment));
    }

    static long segmentNumber(Path file) {
        String name = file.getFileName().toString();
        return Long.parseLong(name.substring(0, name.indexOf('.')));
    }

    long segment() {
        synchronized (lock) {
            return segment;
        }
    }

    /** Queues one record; returns the position its durability is awaited by. */
    long append(byte[] payload, int length) {
        synchronized (lock) {
            checkUsable();
            if (syncer == null) {
                syncer = Thread.ofPlatform().daemon().name("metrics-wal-sync").start(this::syncLoop);
            }
            crc.reset();
            crc.update(payload, 0, length);
            int needed = pendingLength + 8 + length;
            if (needed > pending.length) {
                pending = Arrays.copyOf(pending, Math.max(needed, pending.length * 2));
            }
            ByteBuffer.wrap(pending, pendingLength, 8).putInt(length).putInt((int) crc.getValue());
            System.arraycopy(payload, 0, pending, pendingLength + 8, length);
            pendingLength = needed;
            appended += 8 + length;
            lock.notifyAll();
            return appended;
        }
    }

    /** Completes once every record up to {@code position} is on stable storage, or fails with the I/O error. */
    CompletableFuture<Void> durable(long position) {
        synchronized (lock) {
            if (failure != null) {
                return CompletableFuture.failedFuture(new StoreFailedException("WAL failed", failure));
            }
            if (position <= synced) {
                return CompletableFuture.completedFuture(null);
            }
            CompletableFuture<Void> future = new CompletableFuture<>();
            waiters.add(new Waiter(position, future));
            return future;
        }
    }

    private void checkUsable() {
        if (failure != null) {
            throw new StoreFailedException("WAL failed earlier; reopen the store", failure);
        }
        if (closed) {
            throw new IllegalStateException("WAL closed");
        }
    }

    private void syncLoop() {
        while (true) {
            byte[] chunk;
            int length;
            long target;
            Disk.AppendLog targetLog;
            long targetSegment;
            synchronized (lock) {
                while (pendingLength == 0 && !closed) {
                    waitOn();
                }
                if (pendingLength == 0) {
                    return;
                }
                chunk = pending;
                length = pendingLength;
                pending = spare;
                spare = chunk;
                pendingLength = 0;
                target = appended;
                targetLog = log;
                targetSegment = segment;
                writing = true;
            }
            List<Waiter> done = new ArrayList<>();
            IOException error = null;
            try {
                if (targetLog == null) {
                    targetLog = disk.openAppend(segmentPath(dir, targetSegment));
                }
                targetLog.write(ByteBuffer.wrap(chunk, 0, length));
                targetLog.sync();
            } catch (IOException e) {
                error = e;
            }
            synchronized (lock) {
                writing = false;
                if (log == null && targetLog != null && segment == targetSegment) {
                    log = targetLog;
                }
                if (error != null) {
                    failure = error;
                    done.addAll(waiters);
                    waiters.clear();
                } else {
                    synced = target;
                    while (!waiters.isEmpty() && waiters.peek().position() <= synced) {
                        done.add(waiters.poll());
                    }
                }
                lock.notifyAll();
            }
            for (Waiter w : done) {
                if (error == null) {
                    w.future().complete(null);
                } else {
                    w.future().completeExceptionally(new StoreFailedException("WAL write or fsync failed", error));
                }
            }
            if (error != null) {
                return;
            }
        }
    }

    private void waitOn() {
        try {
            lock.wait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    /** Waits until everything appended is durable. */
    void flush() throws IOException {
        synchronized (lock) {
            while (failure == null && (pendingLength > 0 || writing)) {
                waitOn();
            }
            if (failure != null) {
                throw new IOException("WAL failed", failure);
            }
        }
    }

    /** Flushes, then continues in a new segment; callers must hold appends off meanwhile. */
    void rollover(long next) throws IOException {
        synchronized (lock) {
            flush();
            if (log != null) {
                log.close();
            }
            segment = next;
            log = null;
        }
    }

    @Override
    public void close() throws IOException {
        synchronized (lock) {
            if (failure == null) {
                flush();
            }
            closed = true;
            lock.notifyAll();
        }
        Thread thread;
        synchronized (lock) {
            thread = syncer;
        }
        try {
            if (thread != null) {
                thread.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (log != null) {
            log.close();
        }
    }

    /** Bytes of the torn tail cut off, plus the result of the replay. */
    record Replay(long records, long truncatedBytes, long lastSegment) {
    }

    /**
     * Feeds every whole record of the segments numbered {@code from} or above to {@code handler},
     * in order. The first record that runs past its file's end or fails its CRC ends the replay:
     * the file is truncated there and any later segment is deleted, because records after a hole
     * cannot be ordered safely. Only the tail of the last segment can be torn by a crash.
     */
    static Replay replay(Disk disk, Path dir, long from, Consumer<ByteBuffer> handler) throws IOException {
        long records = 0;
        long truncated = 0;
        long last = from - 1;
        boolean hole = false;
        for (Path file : disk.list(dir)) {
            if (!file.getFileName().toString().endsWith(".wal") || segmentNumber(file) < from) {
                continue;
            }
            if (hole) {
                truncated += disk.size(file);
                disk.delete(file);
                continue;
            }
            last = segmentNumber(file);
            byte[] data = disk.readAll(file);
            ByteBuffer in = ByteBuffer.wrap(data);
            CRC32C crc = new CRC32C();
            while (in.remaining() >= 8) {
                int start = in.position();
                int length = in.getInt();
                int expected = in.getInt();
                if (length < 0 || length > MAX_RECORD || length > in.remaining()) {
                    in.position(start);
                    break;
                }
                crc.reset();
                crc.update(data, in.position(), length);
                if ((int) crc.getValue() != expected) {
                    in.position(start);
                    break;
                }
                handler.accept(ByteBuffer.wrap(data, in.position(), length).slice());
                in.position(in.position() + length);
                records++;
            }
            if (in.position() < data.length) {
                truncated += data.length - in.position();
                disk.truncate(file, in.position());
                hole = true;
            }
        }
        return new Replay(records, truncated, last);
    }
}
