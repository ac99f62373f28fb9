package io.opsbase.agent.tasks.files;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opsbase.agent.state.PrivateFiles;
import io.opsbase.agent.tasks.TaskEnd;
import io.opsbase.agent.tasks.TaskHandler;
import io.opsbase.agent.tasks.TaskOutput;
import io.opsbase.agent.transport.ServerClient;
import io.opsbase.agent.transport.ServerRejection;
import io.opsbase.protocol.Task;

/**
 * Runs {@link Task#FILE}: fetches a file from the server's content-addressed store and puts it in
 * place, never leaving a half-written or unverified file at the target path.
 *
 * <ol>
 * <li>The bytes go to {@code <downloads>/<sha256>.part} under the agent's state directory. An
 * interrupted download (a cut connection, an agent restart) resumes from the part's length with
 * {@code Range: bytes=N-}; a server that answers 200 instead of 206 sends the whole file again.
 * Up to {@value #ATTEMPTS} attempts per task.</li>
 * <li>The whole part is hashed; on a wrong SHA-256 or size it is deleted and the task fails — the
 * target is not touched.</li>
 * <li>It moves (or, on another file system, is copied) to a temporary name in the target
 * directory, is forced to disk, gets the requested mode, owner and group, and is renamed over the
 * target; then the directory is forced.</li>
 * </ol>
 *
 * A target that already holds the exact content only gets its mode, owner and group. Progress goes
 * to the task's standard output at every tenth of the file, and to the server as bytes received of
 * the size ({@link TaskOutput#progress}) at the start, at most once per {@link #PROGRESS_EVERY}
 * while bytes arrive, and at the end — a bounded number of small requests however large the file. Thread-safe; two tasks for the same
 * content at once would share the part file, so each task holds that file's lock.
 */
public final class FileTaskHandler implements TaskHandler {

    static final int ATTEMPTS = 5;
    static final Duration READ_TIMEOUT = Duration.ofSeconds(60);
    static final Duration PROGRESS_EVERY = Duration.ofSeconds(1);

    private static final Logger LOG = LoggerFactory.getLogger(FileTaskHandler.class);

    private final ServerClient client;
    private final Path downloads;
    private final Duration retryPause;
    private final java.util.concurrent.ConcurrentHashMap<String, Object> locks = new java.util.concurrent.ConcurrentHashMap<>();

    public FileTaskHandler(ServerClient client, Path downloads, Duration retryPause) {
        this.client = client;
        this.downloads = downloads;
        this.retryPause = retryPause;
    }

    /** What a file task asks for, checked. */
    record Request(String sha256, long size, Path target, Set<PosixFilePermission> mode, String owner, String group) {
    }

    @Override
    public TaskEnd run(Task task, TaskOutput output) throws InterruptedException {
        Request request;
        try {
            request = FileParameters.request(task.parameters());
        } catch (IllegalArgumentException e) {
            return TaskEnd.failedToStart(e.getMessage());
        }
        try {
            if (Files.isRegularFile(request.target()) && Files.size(request.target()) == request.size()
                    && Digests.sha256(request.target()).equals(request.sha256())) {
                applyAttributes(request.target(), request, false);
                output.progress(request.size(), request.size());
                output.stdoutLine(request.target() + " already holds " + request.sha256() + "; mode and owner checked");
                return TaskEnd.exited(0);
            }
            var part = PrivateFiles.directory(downloads).resolve(request.sha256() + ".part");
            synchronized (lockFor(request.sha256())) {
                var fetched = fetch(request, part, output);
                if (fetched != null) {
                    return fetched;
                }
                var actual = Digests.sha256(part);
                if (!actual.equals(request.sha256()) || Files.size(part) != request.size()) {
                    var size = Files.size(part);
                    Files.deleteIfExists(part);
                    return TaskEnd.exited(1, "the downloaded file has SHA-256 " + actual + " and " + size + " bytes, not " + request.sha256()
                            + " and " + request.size() + "; it was deleted and " + request.target() + " left as it was");
                }
                install(part, request);
            }
            output.stdoutLine("installed " + request.target() + " (" + request.size() + " bytes, sha256 " + request.sha256() + ")");
            return TaskEnd.exited(0);
        } catch (IOException e) {
            return TaskEnd.exited(1, "cannot put " + request.target() + " in place: " + e.getMessage());
        }
    }

    /** One lock per content being fetched; the few entries (one per distinct file ever fetched) are not worth evicting. */
    private Object lockFor(String sha256) {
        return locks.computeIfAbsent(sha256, k -> new Object());
    }

    /** Downloads into {@code part} until it has the whole size; returns null when it has, or how the task ends. */
    private TaskEnd fetch(Request request, Path part, TaskOutput output) throws InterruptedException, IOException {
        IOException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            var have = Files.exists(part) ? Files.size(part) : 0;
            if (have > request.size()) {
                Files.delete(part);
                have = 0;
            }
            if (have == request.size()) {
                return null;
            }
            try {
                download(request, part, have, output);
                if (Files.size(part) == request.size()) {
                    return null;
                }
                last = new IOException("the server ended the download at " + Files.size(part) + " of " + request.size() + " bytes");
            } catch (ServerRejection e) {
                if (e.status() == 404) {
                    return TaskEnd.exited(1, "the server's file store has no file " + request.sha256());
                }
                if (!e.isRetryable()) {
                    return TaskEnd.exited(1, "the server refused the download: " + e.getMessage());
                }
                last = new IOException(e.getMessage());
            } catch (IOException e) {
                last = e;
            }
            output.stdoutLine("download interrupted at " + (Files.exists(part) ? Files.size(part) : 0) + " of " + request.size() + " bytes ("
                    + last.getMessage() + "); attempt " + attempt + " of " + ATTEMPTS);
            output.flush();
            if (attempt < ATTEMPTS) {
                Thread.sleep(retryPause.multipliedBy(attempt));
            }
        }
        LOG.warn("file {}: giving up after {} attempts; the {} bytes downloaded are kept for the next task", request.sha256(), ATTEMPTS,
                Files.exists(part) ? Files.size(part) : 0);
        return TaskEnd.exited(1, "the download failed " + ATTEMPTS + " times (" + last.getMessage()
                + "); what arrived is kept, and the next task for this file resumes from there");
    }

    private void download(Request request, Path part, long have, TaskOutput output) throws IOException, InterruptedException, ServerRejection {
        try (var response = client.download(request.sha256(), have, READ_TIMEOUT)) {
            var offset = have;
            if (response.status() == 416) {
                // The server has nothing past our offset: the part is whole or wrong; the hash decides, or we start over.
                response.abort();
                if (have != request.size()) {
                    Files.deleteIfExists(part);
                }
                return;
            }
            if (response.status() == 200) {
                offset = 0; // the server sent the whole file
            } else {
                var range = response.header("Content-Range").orElse("");
                if (!range.startsWith("bytes " + have + "-")) {
                    response.abort();
                    throw new IOException("the server answered the range from byte " + have + " with " + (range.isEmpty() ? "no Content-Range" : range));
                }
            }
            output.stdoutLine((offset == 0 ? "downloading " : "resuming at byte " + offset + " of ") + request.size() + " bytes");
            output.progress(offset, request.size());
            try (var channel = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                channel.truncate(offset);
                channel.position(offset);
                copy(response.body(), channel, offset, request.size(), output);
                channel.force(true);
            } catch (IOException e) {
                response.abort();
                throw e;
            }
        }
    }

    private static void copy(java.io.InputStream in, FileChannel channel, long offset, long size, TaskOutput output) throws IOException,
            InterruptedException {
        var buffer = new byte[64 * 1024];
        var written = offset;
        var nextReport = nextTenth(written, size);
        var lastProgress = System.nanoTime();
        int n;
        while ((n = in.read(buffer)) > 0) {
            if (Thread.currentThread().isInterrupted()) {
                channel.force(true);
                throw new InterruptedException("download stopped at " + written + " bytes");
            }
            var wrapped = java.nio.ByteBuffer.wrap(buffer, 0, (int) Math.min(n, Math.max(0, size - written)));
            if (!wrapped.hasRemaining()) {
                throw new IOException("the server sent more than the file's " + size + " bytes");
            }
            while (wrapped.hasRemaining()) {
                written += channel.write(wrapped);
            }
            if (written >= nextReport) {
                output.stdoutLine("downloaded " + written + " of " + size + " bytes (" + (size == 0 ? 100 : written * 100 / size) + "%)");
                nextReport = nextTenth(written, size);
            }
            if (System.nanoTime() - lastProgress >= PROGRESS_EVERY.toNanos() || written == size) {
                output.progress(written, size);
                lastProgress = System.nanoTime();
            }
        }
    }

    private static long nextTenth(long written, long size) {
        var tenth = Math.max(1, size / 10);
        return (written / tenth + 1) * tenth;
    }

    private static void install(Path part, Request request) throws IOException {
        var target = request.target();
        var dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        var temp = dir.resolve(".opsbase-" + target.getFileName() + "-" + UUID.randomUUID() + ".tmp");
        try {
            try {
                Files.move(part, temp, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.copy(part, temp);
            }
            try (var channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            applyAttributes(temp, request, true);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            PrivateFiles.forceDirectory(dir);
            Files.deleteIfExists(part);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Sets the requested owner, group and mode; a new file without a requested mode gets 0644, an existing one keeps its own. */
    private static void applyAttributes(Path file, Request request, boolean isNew) throws IOException {
        var view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (view == null) {
            return;
        }
        var lookup = file.getFileSystem().getUserPrincipalLookupService();
        if (request.owner() != null) {
            view.setOwner(lookup.lookupPrincipalByName(request.owner()));
        }
        if (request.group() != null) {
            view.setGroup(lookup.lookupPrincipalByGroupName(request.group()));
        }
        // After chown, which may clear set-id bits.
        if (request.mode() != null) {
            view.setPermissions(request.mode());
        } else if (isNew) {
            view.setPermissions(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                    PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ));
        }
    }
}
