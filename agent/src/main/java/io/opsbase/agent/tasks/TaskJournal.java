package io.opsbase.agent.tasks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opsbase.agent.json.Json;
import io.opsbase.agent.json.Messages;
import io.opsbase.agent.json.Timestamps;
import io.opsbase.agent.state.PrivateFiles;
import io.opsbase.protocol.Task;

/**
 * Which tasks this agent started, kept on disk so that no task id runs twice — not even when the
 * server delivers it again after an agent restart — and so that a task that was running when the
 * agent died is reported as ended when it comes back.
 *
 * <p>On disk: one JSON file per task in the journal directory, named by the task id (or, for an id
 * that is not a safe file name, {@code h-} and the hex SHA-256 of the id), written atomically by
 * {@link PrivateFiles#writeAtomically}: {@code taskId}, {@code type}, {@code expiresAt},
 * {@code ended} (boolean), {@code nextSequence} (the first output chunk number not yet used),
 * {@code pid} and {@code pidStartedAt} (the process the task started, to kill what is left of it
 * after a crash; absent until there is one). A file is written before the task starts, so a crash
 * at any point leaves at least "started". An ended task's file is deleted a day after the task
 * expired: by then the agent refuses a delivery of it anyway, as expired.
 *
 * <p>Thread-safe.
 */
public final class TaskJournal {

    /** How long an ended task is remembered past its expiry. */
    static final Duration KEEP_AFTER_EXPIRY = Duration.ofDays(1);

    private static final Logger LOG = LoggerFactory.getLogger(TaskJournal.class);
    private static final String SUFFIX = ".task";
    /** A running agent forgets expired tasks every this many new ones (and at every start). */
    private static final int PRUNE_EVERY = 256;

    /** One task as the journal knows it. {@code pid} 0: no process recorded. */
    public record Entry(String taskId, String type, Instant expiresAt, boolean ended, int nextSequence, long pid, Instant pidStartedAt) {

        Entry withEnded() {
            return new Entry(taskId, type, expiresAt, true, nextSequence, pid, pidStartedAt);
        }

        Entry withNextSequence(int next) {
            return new Entry(taskId, type, expiresAt, ended, Math.max(nextSequence, next), pid, pidStartedAt);
        }

        Entry withProcess(long processId, Instant startedAt) {
            return new Entry(taskId, type, expiresAt, ended, nextSequence, processId, startedAt);
        }
    }

    private final Path dir;
    private final Clock clock;
    private final Map<String, Entry> entries = new HashMap<>();
    private final List<Entry> unfinished = new ArrayList<>();

    private TaskJournal(Path dir, Clock clock) {
        this.dir = dir;
        this.clock = clock;
    }

    public static TaskJournal open(Path dir, Clock clock) throws IOException {
        var journal = new TaskJournal(PrivateFiles.directory(dir), clock);
        journal.load();
        journal.prune();
        return journal;
    }

    private void load() throws IOException {
        try (var files = Files.list(dir)) {
            for (var file : (Iterable<Path>) files::iterator) {
                var name = file.getFileName().toString();
                if (name.startsWith(PrivateFiles.TEMP_PREFIX)) {
                    Files.deleteIfExists(file);
                } else if (name.endsWith(SUFFIX)) {
                    try {
                        var entry = decode(Files.readAllBytes(file));
                        entries.put(entry.taskId(), entry);
                        if (!entry.ended()) {
                            unfinished.add(entry);
                        }
                    } catch (IOException | RuntimeException e) {
                        LOG.error("task journal: {} is unreadable ({}); it is kept for inspection and ignored", file, e.toString());
                    }
                }
            }
        }
    }

    /**
     * Records that {@code task} starts now. False, and nothing written, when the journal already
     * knows its id: the task ran or runs already and must not run again.
     */
    public synchronized boolean begin(Task task) throws IOException {
        if (entries.containsKey(task.taskId())) {
            return false;
        }
        save(new Entry(task.taskId(), task.type(), task.expiresAt(), false, 0, 0, null));
        if (entries.size() % PRUNE_EVERY == 0) {
            prune();
        }
        return true;
    }

    /** Whether the journal knows this task id. */
    public synchronized boolean knows(String taskId) {
        return entries.containsKey(taskId);
    }

    public synchronized Entry entry(String taskId) {
        return entries.get(taskId);
    }

    public synchronized void processStarted(String taskId, long pid, Instant startedAt) throws IOException {
        update(taskId, entry -> entry.withProcess(pid, startedAt));
    }

    public synchronized void advance(String taskId, int nextSequence) throws IOException {
        update(taskId, entry -> entry.withNextSequence(nextSequence));
    }

    /** Records that the task's last output chunk is in the outbox. */
    public synchronized void end(String taskId) throws IOException {
        update(taskId, Entry::withEnded);
    }

    /** The tasks that had not ended when the journal was opened: they were running when the agent stopped. */
    public synchronized List<Entry> unfinishedAtOpen() {
        return List.copyOf(unfinished);
    }

    private void update(String taskId, java.util.function.UnaryOperator<Entry> change) throws IOException {
        var entry = entries.get(taskId);
        if (entry == null) {
            throw new IllegalStateException("task " + taskId + " is not in the journal");
        }
        save(change.apply(entry));
    }

    private void save(Entry entry) throws IOException {
        PrivateFiles.writeAtomically(fileOf(entry.taskId()), encode(entry));
        entries.put(entry.taskId(), entry);
    }

    /** Forgets ended tasks that expired more than {@link #KEEP_AFTER_EXPIRY} ago. */
    public synchronized void prune() {
        var horizon = clock.instant().minus(KEEP_AFTER_EXPIRY);
        var it = entries.values().iterator();
        while (it.hasNext()) {
            var entry = it.next();
            if (entry.ended() && entry.expiresAt().isBefore(horizon)) {
                try {
                    Files.deleteIfExists(fileOf(entry.taskId()));
                    it.remove();
                } catch (IOException e) {
                    LOG.warn("task journal: cannot delete {} ({})", fileOf(entry.taskId()), e.toString());
                }
            }
        }
    }

    Path fileOf(String taskId) {
        return dir.resolve(fileName(taskId) + SUFFIX);
    }

    static String fileName(String taskId) {
        var safe = !taskId.isEmpty() && taskId.length() <= 100 && taskId.charAt(0) != '.' && !taskId.startsWith("h-");
        for (int i = 0; safe && i < taskId.length(); i++) {
            var c = taskId.charAt(i);
            safe = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.';
        }
        if (safe) {
            return taskId;
        }
        try {
            return "h-" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(taskId.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static byte[] encode(Entry entry) {
        var m = new LinkedHashMap<String, Object>();
        m.put("taskId", entry.taskId());
        m.put("type", entry.type());
        m.put("expiresAt", Timestamps.format(entry.expiresAt()));
        m.put("ended", entry.ended());
        m.put("nextSequence", entry.nextSequence());
        if (entry.pid() != 0) {
            m.put("pid", entry.pid());
            m.put("pidStartedAt", entry.pidStartedAt() == null ? null : Timestamps.format(entry.pidStartedAt()));
        }
        return Json.write(m);
    }

    private static Entry decode(byte[] bytes) {
        var m = Messages.object(Json.parse(bytes));
        var pid = m.get("pid") instanceof Long n ? n : 0L;
        var next = m.get("nextSequence") instanceof Long n ? Math.toIntExact(n) : 0;
        return new Entry(Messages.text(m, "taskId"), Messages.text(m, "type"), Messages.instant(m, "expiresAt"),
                Boolean.TRUE.equals(m.get("ended")), next, pid, Messages.instant(m, "pidStartedAt"));
    }
}
