package io.opsbase.files;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import io.opsbase.files.internal.BlobDirectory;
import io.opsbase.files.internal.StoredFileRepository;
import io.opsbase.platform.BadRequestException;
import io.opsbase.platform.ConflictException;
import io.opsbase.platform.InvalidInputException;
import io.opsbase.platform.NotFoundException;
import io.opsbase.platform.OpsbaseProperties;
import io.opsbase.platform.Page;

/**
 * The content-addressed file store: the facade every other feature uses. An upload streams to a
 * temp file while it is hashed (memory bounded by one buffer, whatever the size), is refused past
 * {@code opsbase.files.max-size}, then is renamed to {@code files/ab/cd/<sha256>} and recorded in
 * {@code stored_files} with its audit record in one transaction. The same content uploaded again
 * keeps the one blob and the first upload's name.
 *
 * <p>Thread-safe. Publishing and deleting the same digest are serialised by a striped lock, so a
 * delete racing an upload of the same bytes cannot leave a row without its blob.
 */
@Service
public class FileStore {

    private static final Logger log = LoggerFactory.getLogger(FileStore.class);
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";
    private static final int MAX_NAME = 255;

    private final BlobDirectory blobs;
    private final StoredFileRepository files;
    private final List<FileReferences> references;
    private final TransactionTemplate transaction;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final long maxBytes;
    private final ReentrantLock[] stripes = new ReentrantLock[64];

    FileStore(OpsbaseProperties opsbase, FilesProperties properties, StoredFileRepository files,
            List<FileReferences> references, TransactionTemplate transaction, ApplicationEventPublisher events,
            Clock clock) {
        this.blobs = new BlobDirectory(opsbase.dataDir().resolve("files"));
        this.files = files;
        this.references = List.copyOf(references);
        this.transaction = transaction;
        this.events = events;
        this.clock = clock;
        this.maxBytes = properties.maxSize().toBytes();
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new ReentrantLock();
        }
        log.info("File store at {}, files up to {} bytes", opsbase.dataDir().resolve("files"), maxBytes);
    }

    /** True for 64 lower-case hex characters, the only form a file id takes. */
    public static boolean isSha256(String text) {
        return text != null && SHA256.matcher(text).matches();
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** The stored file with this digest; empty also when {@code sha256} is not a well-formed digest. */
    public Optional<StoredFile> find(String sha256) {
        return isSha256(sha256) ? files.find(sha256) : Optional.empty();
    }

    /** Newest first, {@code limit} per page; {@code cursor} is the {@code next} of the previous page. */
    public Page<StoredFile> list(String cursor, int limit) {
        Instant after = null;
        String afterSha = null;
        if (cursor != null && !cursor.isBlank()) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|");
                after = Instant.parse(parts[0]);
                afterSha = parts[1];
            } catch (RuntimeException e) {
                throw new BadRequestException("the cursor is not one this server issued");
            }
        }
        List<StoredFile> rows = files.page(after, afterSha, limit + 1);
        String next = null;
        if (rows.size() > limit) {
            rows = rows.subList(0, limit);
            StoredFile last = rows.getLast();
            next = Base64.getUrlEncoder().withoutPadding()
                    .encodeToString((last.uploadedAt() + "|" + last.sha256()).getBytes(StandardCharsets.UTF_8));
        }
        return new Page<>(List.copyOf(rows), next, cursor == null || cursor.isBlank() ? files.count() : null);
    }

    /** {@link #store(InputStream, String, String, String, String)} without a declared digest. */
    public FileUpload store(InputStream body, String name, String contentType, String actor) {
        return store(body, name, contentType, actor, null);
    }

    /**
     * Streams {@code body} into the store.
     *
     * @param name           the file name to show (validated: no path separators or control characters)
     * @param contentType    stored as given; null means {@code application/octet-stream}
     * @param actor          user name or {@code agent:<id>}, recorded and audited
     * @param expectedSha256 when not null, the digest the sender declared: a body hashing to anything
     *                       else is refused with {@link DigestMismatchException} and nothing is kept
     * @throws FileTooLargeException past {@code opsbase.files.max-size}; nothing is kept
     */
    public FileUpload store(InputStream body, String name, String contentType, String actor, String expectedSha256) {
        String fileName = validName(name);
        String type = contentType == null || contentType.isBlank() || contentType.length() > MAX_NAME
                ? DEFAULT_CONTENT_TYPE : contentType;
        BlobDirectory.Received received;
        try {
            received = blobs.receive(body, maxBytes);
        } catch (BlobDirectory.TooLarge e) {
            throw new FileTooLargeException(maxBytes);
        } catch (IOException e) {
            throw new UncheckedIOException("the upload could not be received", e);
        }
        try {
            if (expectedSha256 != null && !expectedSha256.equals(received.sha256())) {
                throw new DigestMismatchException(expectedSha256, received.sha256());
            }
            return publish(received, fileName, type, actor);
        } finally {
            blobs.discard(received);
        }
    }

    private FileUpload publish(BlobDirectory.Received received, String name, String contentType, String actor) {
        ReentrantLock lock = stripe(received.sha256());
        lock.lock();
        try {
            Optional<StoredFile> existing = files.find(received.sha256());
            if (existing.isEmpty() || !blobs.exists(received.sha256())) {
                blobs.publish(received);
            }
            StoredFile file = existing.orElseGet(() -> new StoredFile(received.sha256(), received.size(), name,
                    contentType, actor, clock.instant().truncatedTo(ChronoUnit.MICROS)));
            boolean created = Boolean.TRUE.equals(transaction.execute(status -> {
                boolean inserted = existing.isEmpty() && insert(file);
                events.publishEvent(new FileEvent("file.uploaded", file.sha256(), (inserted ? "stored " : "already stored ")
                        + name + " (" + file.size() + " bytes)", actor));
                return inserted;
            }));
            return new FileUpload(created ? file : files.find(file.sha256()).orElse(file), created);
        } catch (IOException e) {
            throw new UncheckedIOException("the upload could not be moved into the store", e);
        } finally {
            lock.unlock();
        }
    }

    private boolean insert(StoredFile file) {
        try {
            files.insert(file);
            return true;
        } catch (DuplicateKeyException e) {
            return false; // another server node stored the same content first
        }
    }

    /** The content; the caller closes the stream. */
    public InputStream open(String sha256) {
        Path blob = blobPath(sha256);
        try {
            return Files.newInputStream(blob);
        } catch (IOException e) {
            throw notFound(sha256);
        }
    }

    /** The blob of a stored file, for ranged and zero-copy reads. */
    Path blobPath(String sha256) {
        find(sha256).orElseThrow(() -> notFound(sha256));
        return blobs.blob(sha256);
    }

    /**
     * Deletes a file no feature refers to ({@link FileReferences}); its row and audit record in one
     * transaction, then the blob.
     *
     * @throws ConflictException {@code file-in-use} with the {@code references} while any remain
     */
    public void delete(String sha256, String actor) {
        StoredFile file = find(sha256).orElseThrow(() -> notFound(sha256));
        ReentrantLock lock = stripe(sha256);
        lock.lock();
        try {
            List<String> using = new ArrayList<>();
            references.forEach(r -> using.addAll(r.referencesTo(sha256)));
            if (!using.isEmpty()) {
                throw new ConflictException("file-in-use", "file " + sha256 + " is still used by " + String.join(", ", using),
                        java.util.Map.of("references", List.copyOf(using)));
            }
            transaction.executeWithoutResult(status -> {
                if (files.delete(sha256)) {
                    events.publishEvent(new FileEvent("file.deleted", sha256, "deleted " + file.name() + " ("
                            + file.size() + " bytes)", actor));
                }
            });
            blobs.delete(sha256);
        } catch (IOException e) {
            log.warn("File {} was deleted but its blob could not be removed: {}", sha256, e.getMessage());
        } finally {
            lock.unlock();
        }
    }

    /** Upload temp files present right now (a refused or failed upload leaves none). */
    public long pendingUploads() {
        try {
            return blobs.pendingUploads();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String validName(String name) {
        if (name == null || name.isBlank()) {
            return "upload";
        }
        String stripped = name.strip();
        if (stripped.length() > MAX_NAME || stripped.equals(".") || stripped.equals("..")
                || stripped.chars().anyMatch(c -> c == '/' || c == '\\' || Character.isISOControl(c))) {
            throw new InvalidInputException("name", "a file name of at most " + MAX_NAME
                    + " characters without slashes, backslashes or control characters");
        }
        return stripped;
    }

    private ReentrantLock stripe(String sha256) {
        return stripes[Integer.parseInt(sha256.substring(0, 2), 16) % stripes.length];
    }

    static NotFoundException notFound(String sha256) {
        return new NotFoundException("Stored file", sha256);
    }
}
