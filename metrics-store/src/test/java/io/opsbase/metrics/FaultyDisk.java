package io.opsbase.metrics;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link LocalDisk} that fails on demand: fsyncs that fail, a disk that fills up, atomic writes
 * that fail, and a {@link #crash()} that loses every appended byte not yet synced and leaves a
 * torn fragment behind, as a power cut would. After a crash every call fails.
 */
final class FaultyDisk implements Disk {

    private final LocalDisk disk = new LocalDisk();
    private final Map<Path, Long> syncedLength = new ConcurrentHashMap<>();
    /** Every file read so far, to check what opening and querying touch. */
    final java.util.Set<Path> filesRead = java.util.concurrent.ConcurrentHashMap.newKeySet();
    volatile boolean failSync;
    volatile long spaceLeft = Long.MAX_VALUE;
    volatile String failAtomicWriteOf;
    private volatile boolean crashed;

    private void check() throws IOException {
        if (crashed) {
            throw new IOException("machine is down");
        }
    }

    /** Cuts every append-only file back to its last synced length plus a torn half record. */
    void crash() throws IOException {
        crashed = true;
        for (Map.Entry<Path, Long> e : syncedLength.entrySet()) {
            if (disk.exists(e.getKey())) {
                disk.truncate(e.getKey(), e.getValue());
                try (AppendLog log = disk.openAppend(e.getKey())) {
                    log.write(ByteBuffer.wrap(new byte[] {0, 0, 0, 42, 1, 2, 3}));
                }
            }
        }
    }

    @Override
    public AppendLog openAppend(Path file) throws IOException {
        check();
        AppendLog log = disk.openAppend(file);
        syncedLength.putIfAbsent(file, log.size());
        return new AppendLog() {
            @Override
            public void write(ByteBuffer bytes) throws IOException {
                check();
                if (bytes.remaining() > spaceLeft) {
                    int fits = (int) spaceLeft;
                    ByteBuffer part = bytes.slice(bytes.position(), fits);
                    log.write(part);
                    spaceLeft = 0;
                    throw new IOException("No space left on device");
                }
                spaceLeft -= bytes.remaining();
                log.write(bytes);
            }

            @Override
            public void sync() throws IOException {
                check();
                if (failSync) {
                    throw new IOException("fsync failed: EIO");
                }
                log.sync();
                syncedLength.put(file, log.size());
            }

            @Override
            public long size() throws IOException {
                return log.size();
            }

            @Override
            public void close() throws IOException {
                log.close();
            }
        };
    }

    @Override
    public byte[] readAll(Path file) throws IOException {
        check();
        filesRead.add(file);
        return disk.readAll(file);
    }

    @Override
    public byte[] read(Path file, long offset, int length) throws IOException {
        check();
        filesRead.add(file);
        return disk.read(file, offset, length);
    }

    @Override
    public void writeAtomically(Path file, byte[] content) throws IOException {
        check();
        if (failAtomicWriteOf != null && file.getFileName().toString().equals(failAtomicWriteOf)) {
            throw new IOException("No space left on device");
        }
        disk.writeAtomically(file, content);
    }

    @Override
    public void truncate(Path file, long size) throws IOException {
        check();
        disk.truncate(file, size);
        syncedLength.put(file, size);
    }

    @Override
    public List<Path> list(Path dir) throws IOException {
        check();
        return disk.list(dir);
    }

    @Override
    public void delete(Path file) throws IOException {
        check();
        disk.delete(file);
        syncedLength.remove(file);
    }

    @Override
    public long size(Path file) throws IOException {
        check();
        return disk.size(file);
    }

    @Override
    public boolean exists(Path file) {
        return disk.exists(file);
    }

    @Override
    public void createDirectories(Path dir) throws IOException {
        check();
        disk.createDirectories(dir);
    }
}
