package io.opsbase.files.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bytes of the file store, under {@code <data dir>/files}:
 *
 * <pre>
 * files/tmp/upload-*.part        uploads being received; removed on success, failure and at start-up
 * files/ab/cd/abcd…(64 hex)      one blob per distinct content, named by its SHA-256
 * </pre>
 *
 * <p>Invariants: a blob's name is the SHA-256 of its bytes (it was hashed while it was written,
 * then renamed into place atomically, so a reader never sees a partial blob); a blob is never
 * modified, only replaced by identical bytes or deleted. Memory use of {@link #receive} is one
 * 64 KiB buffer whatever the size of the upload. Thread-safe: temp names are unique and renames
 * atomic; callers serialise publish and delete of the same digest.
 */
public final class BlobDirectory {

    private static final Logger log = LoggerFactory.getLogger(BlobDirectory.class);
    private static final int BUFFER_BYTES = 64 * 1024;

    private final Path root;
    private final Path temp;

    public BlobDirectory(Path root) {
        this.root = root;
        this.temp = root.resolve("tmp");
        try {
            Files.createDirectories(temp);
            removeLeftovers();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the file store at " + root, e);
        }
    }

    /** A file received into a temp file: its digest, its size, and where it lies until published or discarded. */
    public record Received(Path path, String sha256, long size) {
    }

    /** Thrown by {@link #receive} when the body passes the size limit; the temp file is already gone. */
    public static final class TooLarge extends IOException {
        TooLarge(long maxBytes) {
            super("more than " + maxBytes + " bytes");
        }
    }

    /**
     * Streams {@code body} into a new temp file, hashing as it writes, and forces it to disk. On
     * any failure (including {@link TooLarge}) the temp file is deleted before the exception leaves.
     */
    public Received receive(InputStream body, long maxBytes) throws IOException {
        Path part = Files.createTempFile(temp, "upload-", ".part");
        try (FileChannel out = FileChannel.open(part, StandardOpenOption.WRITE)) {
            MessageDigest sha256 = sha256();
            byte[] buffer = new byte[BUFFER_BYTES];
            ByteBuffer wrapped = ByteBuffer.wrap(buffer);
            long size = 0;
            int n;
            while ((n = body.read(buffer)) != -1) {
                size += n;
                if (size > maxBytes) {
                    throw new TooLarge(maxBytes);
                }
                sha256.update(buffer, 0, n);
                wrapped.clear().limit(n);
                while (wrapped.hasRemaining()) {
                    out.write(wrapped);
                }
            }
            out.force(true);
            return new Received(part, HexFormat.of().formatHex(sha256.digest()), size);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(part);
            throw e;
        }
    }

    /** Renames a received file to its blob path (replacing identical bytes if present). */
    public void publish(Received received) throws IOException {
        Path target = blob(received.sha256());
        Files.createDirectories(target.getParent());
        Files.move(received.path(), target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    public void discard(Received received) {
        try {
            Files.deleteIfExists(received.path());
        } catch (IOException e) {
            log.warn("Could not delete the upload temp file {}: {}", received.path(), e.getMessage());
        }
    }

    public boolean exists(String sha256) {
        return Files.isRegularFile(blob(sha256));
    }

    public void delete(String sha256) throws IOException {
        Files.deleteIfExists(blob(sha256));
    }

    /** The blob's path; {@code sha256} must already be validated as 64 lower-case hex characters. */
    public Path blob(String sha256) {
        return root.resolve(sha256.substring(0, 2)).resolve(sha256.substring(2, 4)).resolve(sha256);
    }

    /** Number of upload temp files present; for tests that check a refused upload left nothing behind. */
    public long pendingUploads() throws IOException {
        try (Stream<Path> files = Files.list(temp)) {
            return files.count();
        }
    }

    private void removeLeftovers() throws IOException {
        try (Stream<Path> files = Files.list(temp)) {
            for (Path leftover : files.toList()) {
                log.info("Removing the interrupted upload {}", leftover);
                Files.deleteIfExists(leftover);
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
