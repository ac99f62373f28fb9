package io.opsbase.agent.plugins;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs plugin programs (checks and scripts) under the limits every item carries: a timeout, an
 * output-size limit, a shared concurrency limit and an OS account.
 *
 * <ul>
 * <li>The command is an argument list, never a shell line. Standard input is {@code /dev/null};
 * the environment is reduced to {@code PATH} and {@code LANG=C}, so a check's output does not
 * depend on the agent's own environment and secrets in it do not leak into plugins.</li>
 * <li>Past the timeout, or once standard output passes the limit, the process and all its
 * descendants are killed. Standard error is kept up to the same limit and the rest discarded.</li>
 * <li>At most {@code concurrency} plugins run at once; an item that cannot get a slot within its
 * own timeout answers {@link ProcessOutcome.Status#BUSY} instead of queueing without bound.</li>
 * <li>An account other than the agent's own is entered with {@code runuser -u ACCOUNT --}, which
 * needs the agent to run as root; otherwise the item is refused with a clear reason.</li>
 * </ul>
 *
 * Thread-safe: any number of threads may call {@link #run} at once.
 */
public final class PluginRunner {

    static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private static final Duration DRAIN_GRACE = Duration.ofMillis(500);

    private final Semaphore slots;
    private final int concurrency;
    private final String agentAccount;
    private final boolean agentIsRoot;

    public PluginRunner(int concurrency) {
        this(concurrency, System.getProperty("user.name"), "root".equals(System.getProperty("user.name")));
    }

    PluginRunner(int concurrency, String agentAccount, boolean agentIsRoot) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1");
        }
        this.slots = new Semaphore(concurrency, true);
        this.concurrency = concurrency;
        this.agentAccount = agentAccount;
        this.agentIsRoot = agentIsRoot;
    }

    /**
     * Runs {@code command} as {@code account} (null or blank: the agent's own account) within
     * {@code timeout}, keeping at most {@code maxOutputBytes} of standard output.
     */
    public ProcessOutcome run(List<String> command, String account, Duration timeout, int maxOutputBytes)
            throws InterruptedException {
        Objects.requireNonNull(command, "command");
        if (command.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
        long started = System.nanoTime();
        if (!slots.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            return ProcessOutcome.failed(ProcessOutcome.Status.BUSY, since(started),
                    "all " + concurrency + " plugin slots stayed busy for " + timeout.toSeconds() + " s");
        }
        try {
            List<String> argv = withAccount(command, account);
            if (argv == null) {
                return ProcessOutcome.failed(ProcessOutcome.Status.NOT_STARTED, since(started), "the agent runs as "
                        + agentAccount + " and can run plugins as another account (" + account + ") only when it runs as root");
            }
            return runStarted(argv, started, timeout, maxOutputBytes);
        } finally {
            slots.release();
        }
    }

    private List<String> withAccount(List<String> command, String account) {
        if (account == null || account.isBlank() || account.equals(agentAccount)) {
            return command;
        }
        if (!agentIsRoot) {
            return null;
        }
        List<String> argv = new ArrayList<>(command.size() + 4);
        argv.addAll(List.of("runuser", "-u", account, "--"));
        argv.addAll(command);
        return argv;
    }

    private ProcessOutcome runStarted(List<String> argv, long started, Duration timeout, int maxOutputBytes)
            throws InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(argv).directory(new File("/"))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Map<String, String> env = builder.environment();
        env.clear();
        env.put("PATH", PATH);
        env.put("LANG", "C");
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return ProcessOutcome.failed(ProcessOutcome.Status.NOT_STARTED, since(started),
                    "cannot start " + argv.getFirst() + ": " + e.getMessage());
        }
        AtomicBoolean tooLarge = new AtomicBoolean();
        BoundedReader out = new BoundedReader(process.getInputStream(), maxOutputBytes, () -> {
            tooLarge.set(true);
            killTree(process);
        });
        BoundedReader err = new BoundedReader(process.getErrorStream(), maxOutputBytes, () -> { });
        Thread outThread = Thread.ofVirtual().name("plugin-stdout").start(out);
        Thread errThread = Thread.ofVirtual().name("plugin-stderr").start(err);
        long deadline = started + timeout.toNanos();
        boolean exited;
        try {
            exited = process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            killTree(process);
            throw e;
        }
        if (!exited) {
            killTree(process);
            process.waitFor(DRAIN_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        }
        // A child that outlives the plugin may still hold the pipes open: give the readers a
        // moment, then kill what is left of the tree so they see end of file.
        outThread.join(DRAIN_GRACE);
        errThread.join(DRAIN_GRACE);
        if (outThread.isAlive() || errThread.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            outThread.join(DRAIN_GRACE);
            errThread.join(DRAIN_GRACE);
        }
        Duration elapsed = since(started);
        if (tooLarge.get()) {
            return new ProcessOutcome(ProcessOutcome.Status.OUTPUT_TOO_LARGE, -1, out.text(), err.text(), elapsed,
                    "output passed the limit of " + maxOutputBytes + " bytes; the plugin was stopped");
        }
        if (!exited) {
            return new ProcessOutcome(ProcessOutcome.Status.TIMED_OUT, -1, out.text(), err.text(), elapsed,
                    "timed out after " + timeout.toMillis() + " ms; the plugin and its children were killed");
        }
        return new ProcessOutcome(ProcessOutcome.Status.EXITED, process.exitValue(), out.text(), err.text(), elapsed, null);
    }

    private static void killTree(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static Duration since(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    /** Copies a stream into memory up to a limit; past it, calls {@code onOverflow} once and discards the rest. */
    private static final class BoundedReader implements Runnable {
        private final InputStream in;
        private final int limit;
        private final Runnable onOverflow;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();

        BoundedReader(InputStream in, int limit, Runnable onOverflow) {
            this.in = in;
            this.limit = limit;
            this.onOverflow = onOverflow;
        }

        @Override
        public void run() {
            byte[] buffer = new byte[8192];
            boolean overflowed = false;
            try (in) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    synchronized (kept) {
                        int room = limit - kept.size();
                        kept.write(buffer, 0, Math.max(0, Math.min(room, n)));
                        if (n > room && !overflowed) {
                            overflowed = true;
                            onOverflow.run();
                        }
                    }
                }
            } catch (IOException e) {
                // The process was killed or closed its end: what was read so far is the output.
            }
        }

        String text() {
            synchronized (kept) {
                return kept.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
