package io.opsbase.agent.plugins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs real processes: shell builtins, coreutils and Debian's monitoring-plugins-basic. */
class PluginRunnerTest {

    static final Path PLUGINS = Path.of("/usr/lib/nagios/plugins");
    private static final Duration FIVE_SECONDS = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private final PluginRunner runner = new PluginRunner(4);

    static String plugin(String name) {
        Path path = PLUGINS.resolve(name);
        assertThat(Files.isExecutable(path))
                .as("%s is missing: install Debian's monitoring-plugins-basic (.ci/run and ./opsbase test do)", path)
                .isTrue();
        return path.toString();
    }

    @Test
    void runsRealCheckLoadAndReadsItsStateAndPerfData() throws Exception {
        CheckResult result = new CheckPlugin(runner).run(List.of(plugin("check_load"), "-w", "1000,1000,1000", "-c", "2000,2000,2000"),
                null, FIVE_SECONDS, 65536);

        assertThat(result.state()).isEqualTo(ServiceState.OK);
        assertThat(result.summary()).startsWith("LOAD OK");
        assertThat(result.perfData()).extracting(PerfDatum::label).containsExactly("load1", "load5", "load15");
        assertThat(result.perfData()).allSatisfy(d -> assertThat(d.value()).isGreaterThanOrEqualTo(0));
    }

    @Test
    void runsRealCheckDiskThatIsCriticalAndReportsTheRootFilesystemInBytes() throws Exception {
        CheckResult result = new CheckPlugin(runner).run(List.of(plugin("check_disk"), "-w", "100%", "-c", "100%", "-p", "/"),
                null, FIVE_SECONDS, 65536);

        assertThat(result.state()).isEqualTo(ServiceState.CRITICAL);
        long total = Files.getFileStore(Path.of("/")).getTotalSpace();
        assertThat(result.perfData()).singleElement().satisfies(d -> {
            assertThat(d.label()).isEqualTo("/");
            assertThat(d.unit()).isEqualTo("bytes");
            assertThat(d.max()).isBetween(total * 0.99, total * 1.01);
        });
    }

    @Test
    void runsRealCheckProcsAndCountsProcesses() throws Exception {
        CheckResult result = new CheckPlugin(runner).run(List.of(plugin("check_procs"), "-w", "100000", "-c", "200000"),
                null, FIVE_SECONDS, 65536);

        assertThat(result.state()).isEqualTo(ServiceState.OK);
        assertThat(result.perfData()).singleElement().satisfies(d -> {
            assertThat(d.label()).isEqualTo("procs");
            assertThat(d.value()).isPositive();
        });
    }

    @Test
    void killsAPluginAndItsChildrenAtTheTimeout() throws Exception {
        Path childPid = dir.resolve("child.pid");
        ProcessOutcome outcome = runner.run(List.of("sh", "-c", "sleep 60 & echo $! > " + childPid + "; wait"), null,
                Duration.ofMillis(500), 1024);

        assertThat(outcome.status()).isEqualTo(ProcessOutcome.Status.TIMED_OUT);
        assertThat(outcome.problem()).contains("timed out after 500 ms");
        long pid = Long.parseLong(Files.readString(childPid).strip());
        await().atMost(Duration.ofSeconds(5)).until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
        assertThat(new CheckPlugin(runner).run(List.of("sleep", "60"), null, Duration.ofMillis(200), 1024).state())
                .isEqualTo(ServiceState.UNKNOWN);
    }

    @Test
    void stopsAPluginThatPrintsMoreThanTheLimit() throws Exception {
        ProcessOutcome outcome = runner.run(List.of("yes"), null, FIVE_SECONDS, 10_000);

        assertThat(outcome.status()).isEqualTo(ProcessOutcome.Status.OUTPUT_TOO_LARGE);
        assertThat(outcome.stdout()).hasSize(10_000);
        assertThat(outcome.problem()).contains("10000 bytes");
    }

    @Test
    void answersBusyWhenEverySlotStaysTakenForTheWholeTimeout() throws Exception {
        PluginRunner oneSlot = new PluginRunner(1);
        Path started = dir.resolve("started");
        CompletableFuture<ProcessOutcome> holder = CompletableFuture.supplyAsync(() -> {
            try {
                return oneSlot.run(List.of("sh", "-c", "touch " + started + "; sleep 2"), null, FIVE_SECONDS, 1024);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(FIVE_SECONDS).until(() -> Files.exists(started));

        ProcessOutcome second = oneSlot.run(List.of("true"), null, Duration.ofMillis(200), 1024);

        assertThat(second.status()).isEqualTo(ProcessOutcome.Status.BUSY);
        assertThat(holder.get().status()).isEqualTo(ProcessOutcome.Status.EXITED);
        assertThat(oneSlot.run(List.of("true"), null, FIVE_SECONDS, 1024).status()).isEqualTo(ProcessOutcome.Status.EXITED);
    }

    @Test
    void givesPluginsOnlyPathAndLangFromTheEnvironment() throws Exception {
        ProcessOutcome outcome = runner.run(List.of("/usr/bin/env"), null, FIVE_SECONDS, 4096);

        assertThat(outcome.stdout().lines().sorted().toList()).containsExactly("LANG=C", "PATH=" + PluginRunner.PATH);
    }

    @Test
    void runsAsTheConfiguredAccount() throws Exception {
        String me = System.getProperty("user.name");
        if (me.equals("root")) {
            ProcessOutcome outcome = runner.run(List.of("id", "-un"), "nobody", FIVE_SECONDS, 1024);
            assertThat(outcome.status()).isEqualTo(ProcessOutcome.Status.EXITED);
            assertThat(outcome.stdout().strip()).isEqualTo("nobody");
        } else {
            // Not root: switching is impossible, and the runner must say so rather than run as itself.
            ProcessOutcome outcome = runner.run(List.of("id", "-un"), "nobody", FIVE_SECONDS, 1024);
            assertThat(outcome.status()).isEqualTo(ProcessOutcome.Status.NOT_STARTED);
        }
    }

    @Test
    void refusesAnotherAccountWhenTheAgentIsNotRoot() throws Exception {
        ProcessOutcome outcome = new PluginRunner(1, "opsbase", false).run(List.of("id"), "postgres", FIVE_SECONDS, 1024);

        assertThat(outcome.status()).isEqualTo(ProcessOutcome.Status.NOT_STARTED);
        assertThat(outcome.problem()).contains("only when it runs as root");
    }

    @Test
    void reportsAProgramThatCannotStart() throws Exception {
        ProcessOutcome outcome = runner.run(List.of("/nonexistent/check_nothing"), null, FIVE_SECONDS, 1024);

        assertThat(outcome.status()).isEqualTo(ProcessOutcome.Status.NOT_STARTED);
        assertThat(outcome.problem()).contains("/nonexistent/check_nothing");
    }

    @Test
    void readsAScriptThatPrintsPrometheusTextAndReportsAFailingOne() throws Exception {
        ScriptPlugin scripts = new ScriptPlugin(runner, new PrometheusTextParser(1000));

        ScrapeResult result = scripts.run(List.of("sh", "-c", "echo '# TYPE queue_depth gauge'; echo 'queue_depth{queue=\"mail\"} 42'"),
                null, FIVE_SECONDS, 4096);

        assertThat(result.points()).singleElement().satisfies(p -> {
            assertThat(p.name()).isEqualTo("queue_depth");
            assertThat(p.value()).isEqualTo(42);
        });
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> scripts.run(List.of("sh", "-c", "echo 'no database' >&2; exit 3"),
                null, FIVE_SECONDS, 4096)).isInstanceOf(PluginOutputException.class).hasMessageContaining("exited with 3: no database");
    }
}
