package io.opsbase.agent.tasks.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.opsbase.agent.tasks.TaskDispatcher;
import io.opsbase.agent.tasks.TaskFixtures;
import io.opsbase.agent.tasks.TaskHandler;
import io.opsbase.protocol.Task;
import io.opsbase.protocol.TaskOutputRequest;

/** File tasks against a small real HTTP server with ranges, cut connections and signature checks. */
class FileTaskHandlerTest {

    @TempDir
    Path dir;

    private final FileStoreTestServer server;
    private TaskFixtures.Run fixture;

    FileTaskHandlerTest() throws Exception {
        server = new FileStoreTestServer();
    }

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
        server.close();
    }

    private TaskFixtures.Run fixture() throws Exception {
        var client = server.client();
        fixture = TaskFixtures.open(dir.resolve("state"), journal -> Map.<String, TaskHandler>of(
                Task.FILE, new FileTaskHandler(client, dir.resolve("state/downloads"), Duration.ZERO),
                Task.FILE_UPLOAD, new FileUploadHandler(client)), TaskDispatcher.Settings.standard(2));
        return fixture;
    }

    private static byte[] content(int size) {
        var bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    private Map<String, String> file(String sha256, long size, Path target, String... more) {
        var p = new HashMap<>(Map.of("sha256", sha256, "size", Long.toString(size), "path", target.toString()));
        for (int i = 0; i < more.length; i += 2) {
            p.put(more[i], more[i + 1]);
        }
        return p;
    }

    @Test
    void downloadsVerifiesAndPutsTheFileInPlaceWithItsMode() throws Exception {
        var bytes = content(300_000);
        var sha = server.store(bytes);
        var target = dir.resolve("etc/app/app.conf");
        var f = fixture();

        var result = f.run(f.task(Task.FILE, file(sha, bytes.length, target, "mode", "0640")));

        assertThat(result.outcome()).isEqualTo(TaskOutputRequest.OUTCOME_EXITED);
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(Files.readAllBytes(target)).isEqualTo(bytes);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-r-----");
        assertThat(result.stdout()).contains("downloaded 300000 of 300000 bytes (100%)").contains("installed " + target);
        try (var left = Files.list(target.getParent())) {
            assertThat(left).containsExactly(target); // no temporary file left beside it
        }
        assertThat(dir.resolve("state/downloads/" + sha + ".part")).doesNotExist();
    }

    @Test
    void reportsProgressAsBytesOfTheSizeAFewTimesEndingAtTheWholeFile() throws Exception {
        var bytes = content(2_000_000);
        var sha = server.store(bytes);
        var f = fixture();

        var result = f.run(f.task(Task.FILE, file(sha, bytes.length, dir.resolve("p.bin"))));

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        var progress = result.chunks().stream().filter(c -> c.get("progressBytes") != null)
                .map(c -> ((Number) c.get("progressBytes")).longValue()).distinct().toList();
        assertThat(progress).startsWith(0L).endsWith(2_000_000L).isSorted();
        assertThat(result.chunks()).allSatisfy(c -> {
            if (c.get("progressBytes") != null) {
                assertThat(((Number) c.get("progressTotal")).longValue()).isEqualTo(2_000_000L);
            }
        });
    }

    @Test
    void resumesACutDownloadFetchingOnlyTheRest() throws Exception {
        var bytes = content(1_000_000);
        var sha = server.store(bytes);
        var target = dir.resolve("big.bin");
        server.cutNextDownloadAfter(400_000);
        var f = fixture();

        var result = f.run(f.task(Task.FILE, file(sha, bytes.length, target)));

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(Files.readAllBytes(target)).isEqualTo(bytes);
        var served = server.served();
        assertThat(served).hasSize(2);
        assertThat(served.get(0).range()).isNull();
        var resumedAt = 1_000_000 - served.get(1).bytes();
        assertThat(served.get(1).range()).isEqualTo("bytes=" + resumedAt + "-");
        assertThat(resumedAt).isGreaterThan(0);
        assertThat(served.get(0).bytes() + served.get(1).bytes()).isEqualTo(1_000_000); // nothing fetched twice
        assertThat(result.stdout()).contains("download interrupted").contains("resuming at byte " + resumedAt);
    }

    @Test
    void resumesFromAPartLeftByAnEarlierAgentProcess() throws Exception {
        var bytes = content(200_000);
        var sha = server.store(bytes);
        var part = Files.createDirectories(dir.resolve("state/downloads")).resolve(sha + ".part");
        Files.write(part, java.util.Arrays.copyOf(bytes, 150_000));
        var f = fixture();

        var result = f.run(f.task(Task.FILE, file(sha, bytes.length, dir.resolve("x.bin"))));

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(server.served()).containsExactly(new FileStoreTestServer.Served("bytes=150000-", 50_000));
        assertThat(Files.readAllBytes(dir.resolve("x.bin"))).isEqualTo(bytes);
    }

    @Test
    void startsOverWhenTheServerIgnoresTheRange() throws Exception {
        var bytes = content(100_000);
        var sha = server.store(bytes);
        Files.write(Files.createDirectories(dir.resolve("state/downloads")).resolve(sha + ".part"), new byte[40_000]);
        server.ignoreRanges();
        var f = fixture();

        var result = f.run(f.task(Task.FILE, file(sha, bytes.length, dir.resolve("y.bin"))));

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(Files.readAllBytes(dir.resolve("y.bin"))).isEqualTo(bytes);
    }

    @Test
    void aWrongHashLeavesNoFileInPlaceAndKeepsTheOldOne() throws Exception {
        var claimed = FileStoreTestServer.sha256("what the operator uploaded".getBytes());
        server.storeAs(claimed, "something else entirely".getBytes());
        var target = dir.resolve("app.conf");
        Files.writeString(target, "old");
        var f = fixture();

        var result = f.run(f.task(Task.FILE, file(claimed, "something else entirely".length(), target)));

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("SHA-256").contains("deleted");
        assertThat(Files.readString(target)).isEqualTo("old");
        try (var left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("app.conf", "state");
        }
        assertThat(dir.resolve("state/downloads/" + claimed + ".part")).doesNotExist();
    }

    @Test
    void aMissingFileInTheStoreFailsWithoutRetrying() throws Exception {
        var f = fixture();
        var result = f.run(f.task(Task.FILE, file("a".repeat(64), 10, dir.resolve("z"))));

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("has no file");
        assertThat(server.served()).isEmpty();
        assertThat(dir.resolve("z")).doesNotExist();
    }

    @Test
    void badParametersFailToStart() throws Exception {
        var f = fixture();
        assertThat(f.run(f.task(Task.FILE, file("nothex", 1, dir.resolve("a")))).outcome())
                .isEqualTo(TaskOutputRequest.OUTCOME_FAILED_TO_START);
        assertThat(f.run(f.task(Task.FILE, Map.of("sha256", "a".repeat(64), "size", "1", "path", "relative/path"))).stderr())
                .contains("absolute");
        assertThat(f.run(f.task(Task.FILE, file("a".repeat(64), 1, dir.resolve("a"), "mode", "999"))).stderr()).contains("octal");
    }

    @Test
    void setsTheOwnerAndGroupWhenRoot() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "changing owners needs root");
        var bytes = content(1000);
        var sha = server.store(bytes);
        var target = dir.resolve("owned");
        var f = fixture();

        var result = f.run(f.task(Task.FILE, file(sha, bytes.length, target, "owner", "nobody", "group", "nogroup", "mode", "600")));

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(Files.getOwner(target).getName()).isEqualTo("nobody");
        assertThat(Files.readAttributes(target, java.nio.file.attribute.PosixFileAttributes.class).group().getName()).isEqualTo("nogroup");
    }

    @Test
    void uploadsALocalFileAndReportsItsSha256() throws Exception {
        var bytes = content(500_000);
        var source = dir.resolve("report.log");
        Files.write(source, bytes);
        var f = fixture();

        var result = f.run(f.task(Task.FILE_UPLOAD, Map.of("path", source.toString())));

        var sha = FileStoreTestServer.sha256(bytes);
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).endsWith("sha256=" + sha + " size=500000\n");
        assertThat(server.uploads.get(sha)).isEqualTo(bytes);
    }

    @Test
    void refusesToUploadWhatIsNotAReadableFile() throws Exception {
        var f = fixture();
        var result = f.run(f.task(Task.FILE_UPLOAD, Map.of("path", dir.toString())));

        assertThat(result.outcome()).isEqualTo(TaskOutputRequest.OUTCOME_FAILED_TO_START);
        assertThat(server.uploads).isEmpty();
    }
}
