package io.opsbase.agent.tasks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Kills a task's whole process tree. A task's process is started by {@code setsid}, so it leads a
 * session of its own and every process it starts — children, grandchildren, and orphans that init
 * adopted after their parent exited — carries its session id, unless it left the session on
 * purpose (a daemon calling {@code setsid} itself); those are still caught while they descend from
 * the leader. Linux does not hand out a session leader's pid again while any member of the session
 * lives, so killing by session id after the leader died hits only the task's own processes.
 *
 * <p>Reads {@code /proc}; where there is none, only the leader's descendants are killed.
 */
public final class ProcessTree {

    private static final Path PROC = Path.of("/proc");
    private static final int ROUNDS = 20;

    private ProcessTree() {
    }

    /**
     * Sends SIGKILL to the session led by {@code leaderPid} and to the leader's descendants, again
     * until none is left (a process may fork while the others die). Returns how many were killed.
     */
    public static int killSession(long leaderPid) {
        var killed = 0;
        for (int round = 0; round < ROUNDS; round++) {
            var targets = members(leaderPid);
            if (targets.isEmpty()) {
                break;
            }
            for (var pid : targets) {
                if (ProcessHandle.of(pid).map(ProcessHandle::destroyForcibly).orElse(false)) {
                    killed++;
                }
            }
            waitForExit(targets);
        }
        return killed;
    }

    /** The living processes of the session, plus the leader's descendants; zombies excluded. */
    static Set<Long> members(long leaderPid) {
        var pids = new LinkedHashSet<Long>();
        ProcessHandle.of(leaderPid).ifPresent(leader -> {
            if (alive(leaderPid)) {
                pids.add(leaderPid);
            }
            leader.descendants().forEach(p -> {
                if (alive(p.pid())) {
                    pids.add(p.pid());
                }
            });
        });
        if (Files.isDirectory(PROC)) {
            try (var entries = Files.list(PROC)) {
                for (var entry : (Iterable<Path>) entries::iterator) {
                    var pid = parsePid(entry.getFileName().toString());
                    if (pid > 0 && pid != ProcessHandle.current().pid()) {
                        stat(pid).filter(s -> s.session() == leaderPid && s.state() != 'Z').ifPresent(s -> pids.add(pid));
                    }
                }
            } catch (IOException e) {
                // /proc vanished under us: the descendants found above are what we can do.
            }
        }
        return pids;
    }

    /** Whether the process with this pid still runs with the given start time (false when it is gone or the pid was reused). */
    public static boolean isSameProcess(long pid, Instant startedAt) {
        return ProcessHandle.of(pid).flatMap(p -> p.info().startInstant())
                .map(start -> startedAt == null || start.equals(startedAt)).orElse(false);
    }

    /** Whether the process exists and is not a zombie (a killed process whose parent has not collected it yet counts as gone). */
    public static boolean isRunning(long pid) {
        return alive(pid);
    }

    private static boolean alive(long pid) {
        return stat(pid).map(s -> s.state() != 'Z').orElseGet(() -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    }

    private static void waitForExit(Set<Long> pids) {
        for (var pid : pids) {
            ProcessHandle.of(pid).ifPresent(p -> {
                try {
                    p.onExit().get(200, java.util.concurrent.TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    // a zombie whose parent is not ours, or a process in uninterruptible sleep: the next round looks again
                }
            });
        }
    }

    /** The fields of {@code /proc/PID/stat} this class reads. */
    record Stat(char state, long session) {
    }

    /** The session id of a process, from {@code /proc/PID/stat}; empty when it is gone or there is no {@code /proc}. */
    public static Optional<Long> sessionOf(long pid) {
        return stat(pid).map(Stat::session);
    }

    static Optional<Stat> stat(long pid) {
        try {
            var text = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"));
            // "pid (comm) state ppid pgrp session ...": comm may hold spaces and parentheses, so split after the last ')'.
            var fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
            return Optional.of(new Stat(fields[0].charAt(0), Long.parseLong(fields[3])));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static long parsePid(String name) {
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) < '0' || name.charAt(i) > '9') {
                return -1;
            }
        }
        return name.isEmpty() ? -1 : Long.parseLong(name);
    }
}
