package io.opsbase.agent.tasks;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opsbase.agent.json.Messages;
import io.opsbase.agent.outbox.Outbox;
import io.opsbase.protocol.AgentEndpoints;
import io.opsbase.protocol.TaskOutputRequest;

/**
 * A task's standard output and standard error on their way to the server, in numbered chunks
 * through the {@link Outbox} — so a chunk, once appended, survives a server outage and an agent
 * restart, and leaves the outbox only when the server acknowledged it.
 *
 * <p>Bounds: a chunk is sent once the pending bytes of both streams reach {@code chunkBytes}, and
 * whenever the handler calls {@link #flush} (the script handler does every 500 ms), whichever comes
 * first. At most {@code maxBytes} of output are kept over the whole task; the rest is dropped and
 * every chunk from the first one that lost bytes says {@code truncated}. A non-last chunk ends at a
 * whole UTF-8 character; the bytes of a character split across reads wait for the next chunk.
 *
 * <p>Before chunk {@code n} goes to the outbox, {@code journal} records {@code n + 1} as the task's
 * next sequence, so a chunk written after a crash never reuses a number (and idempotency key) the
 * server may already hold. Thread-safe: the two stream readers and the handler write at once.
 */
public final class TaskOutput {

    public static final int DEFAULT_CHUNK_BYTES = 64 * 1024;
    public static final long DEFAULT_MAX_BYTES = 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(TaskOutput.class);

    /** Told the next free sequence number before a chunk is appended. */
    @FunctionalInterface
    public interface SequenceJournal {
        void advance(String taskId, int nextSequence) throws IOException;
    }

    private final String taskId;
    private final Outbox outbox;
    private final SequenceJournal journal;
    private final Clock clock;
    private final int chunkBytes;
    private final long maxBytes;
    private final Instant startedAt;
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private long keptBytes;
    private boolean truncated;
    private int nextSequence;
    private boolean finished;
    /** Whether standard error so far ends inside a line: the end's message then starts on a line of its own. */
    private boolean stderrLineOpen;
    /** The latest transfer progress, carried by every chunk from the one after it was set; null until then. */
    private Long progressBytes;
    private Long progressTotal;

    public TaskOutput(String taskId, Outbox outbox, SequenceJournal journal, Clock clock, int chunkBytes, long maxBytes, int firstSequence) {
        if (chunkBytes < 4 || maxBytes < 0) {
            throw new IllegalArgumentException("chunkBytes must be at least 4 and maxBytes not negative");
        }
        this.taskId = taskId;
        this.outbox = outbox;
        this.journal = journal;
        this.clock = clock;
        this.chunkBytes = chunkBytes;
        this.maxBytes = maxBytes;
        this.startedAt = clock.instant();
        this.nextSequence = firstSequence;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public void stdout(byte[] bytes, int offset, int length) {
        write(stdout, bytes, offset, length);
    }

    public void stderr(byte[] bytes, int offset, int length) {
        write(stderr, bytes, offset, length);
    }

    /** A line of the agent's own (progress of a download, say) on standard output. */
    public void stdoutLine(String line) {
        var bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        stdout(bytes, 0, bytes.length);
    }

    /**
     * Reports how far a transfer has come, at once, in a chunk of its own (with whatever output is
     * pending). The caller bounds how often: each call is one request to the server.
     */
    public synchronized void progress(long bytes, long total) {
        if (finished || bytes < 0 || bytes > total) {
            return;
        }
        progressBytes = bytes;
        progressTotal = total;
        sendPending();
    }

    private synchronized void write(ByteArrayOutputStream stream, byte[] bytes, int offset, int length) {
        if (finished) {
            return;
        }
        var room = (int) Math.max(0, Math.min(length, maxBytes - keptBytes));
        if (room < length) {
            truncated = true;
        }
        if (stream == stderr && room > 0) {
            stderrLineOpen = bytes[offset + room - 1] != '\n';
        }
        var at = offset;
        var left = room;
        while (left > 0) {
            var take = Math.min(left, chunkBytes - pendingBytes());
            stream.write(bytes, at, take);
            keptBytes += take;
            at += take;
            left -= take;
            if (pendingBytes() >= chunkBytes) {
                sendPending();
            }
        }
    }

    private int pendingBytes() {
        return stdout.size() + stderr.size();
    }

    /** Sends what is pending as a chunk, if anything is. */
    public synchronized void flush() {
        if (!finished && (pendingBytes() > 0)) {
            sendPending();
        }
    }

    /** Whether output was dropped for passing the task's limit. */
    public synchronized boolean truncated() {
        return truncated;
    }

    /**
     * Sends the last chunk: what is pending, the end's message appended to standard error, the exit
     * code, the timings and the outcome. Later writes are ignored.
     *
     * @throws IOException when the outbox cannot take it; the task then counts as not reported
     */
    public synchronized void finish(TaskEnd end) throws IOException {
        if (finished) {
            return;
        }
        if (!end.message().isEmpty()) {
            var message = (stderrLineOpen ? "\n" : "") + end.message();
            var bytes = message.getBytes(StandardCharsets.UTF_8);
            stderr.write(bytes, 0, bytes.length); // beyond the limit on purpose: the operator must see why the task ended
        }
        var request = chunk(true, end);
        finished = true;
        append(request);
    }

    private void sendPending() {
        var request = chunk(false, null);
        try {
            append(request);
        } catch (IOException e) {
            // Only a full or failing disk gets here; the task goes on, and its last chunk is tried again.
            LOG.error("task {}: cannot queue output chunk {} ({}); {} characters of its output are lost", taskId, request.sequence(),
                    e.toString(), request.stdout().length() + request.stderr().length());
        }
    }

    private TaskOutputRequest chunk(boolean last, TaskEnd end) {
        var sequence = nextSequence++;
        var out = take(stdout, last);
        var err = take(stderr, last);
        return new TaskOutputRequest(key(taskId, sequence), taskId, sequence, out, err, last, last ? end.exitCode() : null, startedAt,
                last ? clock.instant() : null, truncated, last ? end.outcome() : null, progressBytes, progressTotal);
    }

    private void append(TaskOutputRequest request) throws IOException {
        // A pending interrupt (a cancel on the handler's thread) would make the file channels below close
        // themselves mid-write and lose the chunk: hold it back until the chunk is on disk.
        var interrupted = Thread.interrupted();
        try {
            journal.advance(taskId, request.sequence() + 1);
            outbox.append(AgentEndpoints.taskOutput(taskId), request.idempotencyKey(), Messages.taskOutputRequest(request));
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The idempotency key of a task's output chunk. */
    public static String key(String taskId, int sequence) {
        return "task-" + taskId + "-output-" + sequence;
    }

    /** Takes the pending bytes of one stream as text; unless {@code all}, a trailing partial UTF-8 character stays behind. */
    private static String take(ByteArrayOutputStream stream, boolean all) {
        var bytes = stream.toByteArray();
        var cut = all ? bytes.length : wholeCharacters(bytes);
        stream.reset();
        stream.write(bytes, cut, bytes.length - cut);
        return new String(bytes, 0, cut, StandardCharsets.UTF_8);
    }

    /** The length of the longest prefix that does not end inside a UTF-8 character. */
    static int wholeCharacters(byte[] bytes) {
        var n = bytes.length;
        for (int back = 1; back <= Math.min(4, n); back++) {
            var b = bytes[n - back] & 0xff;
            if (b < 0x80) {
                return n; // ASCII: nothing open
            }
            if (b >= 0xc0) { // a lead byte: is its character complete?
                var length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
                return back >= length ? n : n - back;
            }
        }
        return n; // only continuation bytes: not UTF-8 anyway, send as is
    }
}
