package io.opsbase.agent.outbox;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The byte layout of one outbox entry file (all integers big-endian):
 *
 * <pre>
 * offset  size  field
 * 0       4     magic "OBX1"
 * 4       4     CRC32C of every byte from offset 8 to the end
 * 8       4     N: number of bytes that follow
 * 12      N     record: modified-UTF-8 idempotency key, modified-UTF-8 path (DataOutput.writeUTF),
 *               8-byte creation time in epoch milliseconds, 4-byte body length, body bytes
 * </pre>
 *
 * A file that is shorter or longer than 12 + N, has another magic or a CRC mismatch is corrupt.
 */
final class EntryFile {

    private static final byte[] MAGIC = "OBX1".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER = 12;

    private EntryFile() {
    }

    static byte[] encode(OutboxEntry entry) {
        try {
            var record = new ByteArrayOutputStream(entry.body().length + 128);
            var out = new DataOutputStream(record);
            out.writeUTF(entry.idempotencyKey());
            out.writeUTF(entry.path());
            out.writeLong(entry.createdAt().toEpochMilli());
            out.writeInt(entry.body().length);
            out.write(entry.body());
            out.flush();
            var bytes = record.toByteArray();
            var crc = new CRC32C();
            crc.update(bytes);
            return ByteBuffer.allocate(HEADER + bytes.length).put(MAGIC).putInt((int) crc.getValue()).putInt(bytes.length).put(bytes).array();
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
    }

    /** @throws CorruptEntryException with the reason, if the bytes are not a whole, intact entry */
    static OutboxEntry decode(long sequence, byte[] file) throws CorruptEntryException {
        if (file.length < HEADER) {
            throw new CorruptEntryException("truncated header (" + file.length + " bytes)");
        }
        if (!Arrays.equals(file, 0, 4, MAGIC, 0, 4)) {
            throw new CorruptEntryException("bad magic");
        }
        var buffer = ByteBuffer.wrap(file);
        var storedCrc = buffer.getInt(4);
        var length = buffer.getInt(8);
        if (length != file.length - HEADER) {
            throw new CorruptEntryException("length " + length + " does not match the file (" + (file.length - HEADER) + " bytes)");
        }
        var crc = new CRC32C();
        crc.update(file, HEADER, length);
        if ((int) crc.getValue() != storedCrc) {
            throw new CorruptEntryException("CRC mismatch");
        }
        try (var in = new DataInputStream(new java.io.ByteArrayInputStream(file, HEADER, length))) {
            var key = in.readUTF();
            var path = in.readUTF();
            var createdAt = Instant.ofEpochMilli(in.readLong());
            var body = new byte[in.readInt()];
            in.readFully(body);
            return new OutboxEntry(sequence, key, path, createdAt, body);
        } catch (IOException | RuntimeException e) {
            throw new CorruptEntryException("unreadable record: " + e.getMessage());
        }
    }

    static final class CorruptEntryException extends Exception {
        CorruptEntryException(String message) {
            super(message);
        }
    }
}
