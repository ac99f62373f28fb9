package io.opsbase.metrics;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

/**
 * The only way the store touches files. Kept narrow on purpose (after QuestDB's FilesFacade):
 * tests wrap it to inject a failed fsync, a full disk or a crash that loses every byte not yet
 * synced, and the store must behave correctly under each.
 *
 * <p>Durability contract the store relies on: bytes written through {@link AppendLog#write} are
 * durable only after {@link AppendLog#sync} returns; {@link #writeAtomically} leaves either the
 * old file or the complete new one, durable, never a mix.
 */
public interface Disk {

    /** Opens (creating if absent) a file for appending at its current end. */
    AppendLog openAppend(Path file) throws IOException;

    byte[] readAll(Path file) throws IOException;

    /** Reads exactly {@code length} bytes at {@code offset}; a short file is an {@link java.io.EOFException}. */
    byte[] read(Path file, long offset, int length) throws IOException;

    /** Writes to a temporary sibling, syncs it, renames it over {@code file} and syncs the directory. */
    void writeAtomically(Path file, byte[] content) throws IOException;

    void truncate(Path file, long size) throws IOException;

    /** Entries directly inside {@code dir} (the store's directories hold only files), sorted by name; empty if the directory is absent. */
    List<Path> list(Path dir) throws IOException;

    void delete(Path file) throws IOException;

    long size(Path file) throws IOException;

    boolean exists(Path file);

    void createDirectories(Path dir) throws IOException;

    /** An open file that only grows. Not thread-safe: one writer at a time. */
    interface AppendLog extends Closeable {
        void write(ByteBuffer bytes) throws IOException;

        /** Forces written bytes to stable storage (fsync). After a failure the file's state is unknown. */
        void sync() throws IOException;

        long size() throws IOException;
    }
}
