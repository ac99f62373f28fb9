package io.opsbase.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import io.opsbase.audit.AuditLog;
import io.opsbase.audit.AuditQuery;
import io.opsbase.auth.Role;
import io.opsbase.platform.OpsbaseProperties;
import io.opsbase.testing.ApiClient;
import io.opsbase.testing.TestUsers;

/** The file store API over real HTTP: uploads, de-duplication, ranges, roles, references and audit. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import({TestUsers.class, FileApiTest.References.class})
class FileApiTest {

    /** A stand-in for the jobs feature: the digests it "uses". */
    @TestConfiguration
    static class References {
        static final Set<String> USED = ConcurrentHashMap.newKeySet();

        @Bean
        FileReferences jobReferences() {
            return sha256 -> USED.contains(sha256) ? List.of("job template 7") : List.of();
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    TestUsers users;

    @Autowired
    OpsbaseProperties opsbase;

    @Autowired
    AuditLog auditLog;

    FileTransfers transfers() {
        return new FileTransfers(port);
    }

    Map<String, String> bearer(Role role) {
        return Map.of("Authorization", "Bearer " + users.tokenFor(role));
    }

    long blobsOnDisk() throws Exception {
        try (Stream<Path> files = Files.walk(opsbase.dataDir().resolve("files"))) {
            return files.filter(Files::isRegularFile).filter(p -> !p.getParent().getFileName().toString().equals("tmp")).count();
        }
    }

    @Test
    void storesAnUploadOnceAndAnswers201ThenOkForTheSameContent() throws Exception {
        byte[] content = FileTransfers.content(300_000, 1);
        String sha = FileTransfers.sha256(content);
        var operator = bearer(Role.OPERATOR);
        long before = blobsOnDisk();

        var first = transfers().upload("/api/v1/files?name=app%201.tar.gz", content, operator);
        assertThat(first.statusCode()).as(new String(first.body())).isEqualTo(201);
        var json = ApiClient.JSON.readTree(first.body());
        assertThat(json.get("sha256").asString()).isEqualTo(sha);
        assertThat(json.get("size").asLong()).isEqualTo(300_000);
        assertThat(json.get("name").asString()).isEqualTo("app 1.tar.gz");
        assertThat(first.headers().firstValue("Location")).hasValue("/api/v1/files/" + sha);

        var second = transfers().upload("/api/v1/files?name=copy.tar.gz", content, bearer(Role.ADMIN));
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(ApiClient.JSON.readTree(second.body()).get("name").asString()).isEqualTo("app 1.tar.gz");
        assertThat(blobsOnDisk()).isEqualTo(before + 1);
        Path blob = opsbase.dataDir().resolve("files").resolve(sha.substring(0, 2)).resolve(sha.substring(2, 4)).resolve(sha);
        assertThat(Files.readAllBytes(blob)).isEqualTo(content);

        var viewer = ApiClient.at(port).withBearer(users.tokenFor(Role.VIEWER));
        var meta = viewer.get("/api/v1/files/" + sha);
        assertThat(meta.status()).isEqualTo(200);
        assertThat(meta.json().get("contentType").asString()).isEqualTo("application/octet-stream");
        var listed = viewer.get("/api/v1/files?limit=500").json();
        assertThat(listed.get("items").valueStream().map(n -> n.get("sha256").asString())).contains(sha);
        assertThat(listed.has("next")).isTrue();

        var audit = auditLog.list(new AuditQuery(null, "file.uploaded", "file", sha, null, null, null, null, 10)).items();
        assertThat(audit).hasSize(2);
        assertThat(audit).extracting(r -> r.summary()).anyMatch(s -> s.startsWith("stored app 1.tar.gz"))
                .anyMatch(s -> s.startsWith("already stored copy.tar.gz"));
    }

    @Test
    void acceptsAMultipartUploadAndABodySentAsAFormLikeCurlDataBinary() throws Exception {
        byte[] content = "multipart content\n".getBytes(StandardCharsets.UTF_8);
        String boundary = "----opsbase-test-boundary";
        byte[] multipart = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"notes.txt\"\r\n"
                + "Content-Type: text/plain\r\n\r\n" + new String(content, StandardCharsets.UTF_8) + "\r\n--" + boundary + "--\r\n")
                .getBytes(StandardCharsets.UTF_8);
        var headers = new java.util.HashMap<>(bearer(Role.OPERATOR));
        headers.put("Content-Type", "multipart/form-data; boundary=" + boundary);
        var r = transfers().upload("/api/v1/files", multipart, headers);
        assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(201);
        var json = ApiClient.JSON.readTree(r.body());
        assertThat(json.get("sha256").asString()).isEqualTo(FileTransfers.sha256(content));
        assertThat(json.get("name").asString()).isEqualTo("notes.txt");
        assertThat(json.get("contentType").asString()).isEqualTo("text/plain");

        byte[] form = "a=b&c=d".getBytes(StandardCharsets.UTF_8);
        var formHeaders = new java.util.HashMap<>(bearer(Role.OPERATOR));
        formHeaders.put("Content-Type", "application/x-www-form-urlencoded");
        var raw = transfers().upload("/api/v1/files?name=form.txt", form, formHeaders);
        assertThat(raw.statusCode()).isEqualTo(201);
        assertThat(ApiClient.JSON.readTree(raw.body()).get("sha256").asString()).isEqualTo(FileTransfers.sha256(form));
    }

    @Test
    void servesRangesWithEtagAndRefusesUnsatisfiableOnes() throws Exception {
        byte[] content = FileTransfers.content(100_000, 2);
        String sha = FileTransfers.sha256(content);
        assertThat(transfers().upload("/api/v1/files?name=r.bin", content, bearer(Role.OPERATOR)).statusCode()).isEqualTo(201);
        var viewer = bearer(Role.VIEWER);
        String path = "/api/v1/files/" + sha + "/content";

        var whole = transfers().get(path, viewer);
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.body()).isEqualTo(content);
        assertThat(whole.headers().firstValue("ETag")).hasValue("\"" + sha + "\"");
        assertThat(whole.headers().firstValue("Accept-Ranges")).hasValue("bytes");
        assertThat(whole.headers().firstValue("Content-Disposition").orElseThrow()).contains("r.bin");

        var middle = transfers().get(path, with(viewer, "Range", "bytes=1000-1999"));
        assertThat(middle.statusCode()).isEqualTo(206);
        assertThat(middle.headers().firstValue("Content-Range")).hasValue("bytes 1000-1999/100000");
        assertThat(middle.body()).isEqualTo(java.util.Arrays.copyOfRange(content, 1000, 2000));

        var resumed = transfers().get(path, with(with(viewer, "Range", "bytes=99000-"), "If-Range", "\"" + sha + "\""));
        assertThat(resumed.statusCode()).isEqualTo(206);
        assertThat(resumed.body()).isEqualTo(java.util.Arrays.copyOfRange(content, 99_000, 100_000));

        var suffix = transfers().get(path, with(viewer, "Range", "bytes=-10"));
        assertThat(suffix.statusCode()).isEqualTo(206);
        assertThat(suffix.body()).isEqualTo(java.util.Arrays.copyOfRange(content, 99_990, 100_000));

        var staleIfRange = transfers().get(path, with(with(viewer, "Range", "bytes=10-"), "If-Range", "\"other\""));
        assertThat(staleIfRange.statusCode()).isEqualTo(200);
        assertThat(staleIfRange.body()).hasSize(100_000);

        var beyond = transfers().get(path, with(viewer, "Range", "bytes=100000-"));
        assertThat(beyond.statusCode()).isEqualTo(416);
        assertThat(beyond.headers().firstValue("Content-Range")).hasValue("bytes */100000");
        assertThat(new String(beyond.body(), StandardCharsets.UTF_8)).contains("/problems/range-not-satisfiable");

        var cached = transfers().get(path, with(viewer, "If-None-Match", "\"" + sha + "\""));
        assertThat(cached.statusCode()).isEqualTo(304);
    }

    @Test
    void uploadsAndDownloadsA300MegabyteStreamIntact() throws Exception {
        var stream = new FileTransfers.GeneratedStream(300L << 20);
        var r = transfers().send("POST", "/api/v1/files?name=big.bin", HttpRequest.BodyPublishers.ofInputStream(() -> stream),
                bearer(Role.OPERATOR));
        assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(201);
        String sha = stream.sha256();
        var json = ApiClient.JSON.readTree(r.body());
        assertThat(json.get("sha256").asString()).isEqualTo(sha);
        assertThat(json.get("size").asLong()).isEqualTo(300L << 20);

        assertThat(transfers().downloadSha256("/api/v1/files/" + sha + "/content", bearer(Role.VIEWER))).isEqualTo(sha);
    }

    @Test
    void refusesMalformedAndUnknownDigestsAndBadNames() throws Exception {
        var viewer = ApiClient.at(port).withBearer(users.tokenFor(Role.VIEWER));
        assertThat(viewer.get("/api/v1/files/not-a-digest").status()).isEqualTo(400);
        assertThat(viewer.get("/api/v1/files/" + "A".repeat(64)).status()).isEqualTo(400);
        var unknown = viewer.get("/api/v1/files/" + "0".repeat(64));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.contentType()).startsWith("application/problem+json");
        assertThat(viewer.get("/api/v1/files/" + "0".repeat(64) + "/content").status()).isEqualTo(404);
        assertThat(viewer.get("/api/v1/files?limit=0").status()).isEqualTo(422);
        assertThat(viewer.get("/api/v1/files?cursor=%21%21").status()).isEqualTo(400);

        var badName = transfers().upload("/api/v1/files?name=..%2Fetc%2Fpasswd", new byte[] {1, 2}, bearer(Role.OPERATOR));
        assertThat(badName.statusCode()).isEqualTo(422);
        assertThat(new String(badName.body(), StandardCharsets.UTF_8)).contains("\"field\":\"name\"");
    }

    @Test
    void requiresAuthenticationAndTheRightRole() throws Exception {
        byte[] content = FileTransfers.content(1000, 3);
        String sha = FileTransfers.sha256(content);
        assertThat(transfers().upload("/api/v1/files", content, Map.of()).statusCode()).isEqualTo(401);
        assertThat(transfers().get("/api/v1/files", Map.of()).statusCode()).isEqualTo(401);
        assertThat(transfers().upload("/api/v1/files", content, bearer(Role.VIEWER)).statusCode()).isEqualTo(403);
        assertThat(transfers().upload("/api/v1/files", content, bearer(Role.OPERATOR)).statusCode()).isEqualTo(201);
        assertThat(transfers().get("/api/v1/files/" + sha + "/content", Map.of()).statusCode()).isEqualTo(401);
        assertThat(transfers().send("DELETE", "/api/v1/files/" + sha, HttpRequest.BodyPublishers.noBody(),
                bearer(Role.OPERATOR)).statusCode()).isEqualTo(403);
        assertThat(ApiClient.at(port).withBearer(users.tokenFor(Role.VIEWER)).get("/api/v1/files/" + sha).status())
                .isEqualTo(200);
    }

    @Test
    void deletesAnUnusedFileAndRefusesOneStillReferenced() throws Exception {
        byte[] used = FileTransfers.content(5000, 4);
        byte[] unused = FileTransfers.content(5000, 5);
        var operator = bearer(Role.OPERATOR);
        assertThat(transfers().upload("/api/v1/files?name=used", used, operator).statusCode()).isEqualTo(201);
        assertThat(transfers().upload("/api/v1/files?name=unused", unused, operator).statusCode()).isEqualTo(201);
        References.USED.add(FileTransfers.sha256(used));
        var admin = ApiClient.at(port).withBearer(users.tokenFor(Role.ADMIN));

        var refused = admin.delete("/api/v1/files/" + FileTransfers.sha256(used));
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().get("type").asString()).isEqualTo("/problems/file-in-use");
        assertThat(refused.json().get("references").get(0).asString()).isEqualTo("job template 7");
        assertThat(admin.get("/api/v1/files/" + FileTransfers.sha256(used)).status()).isEqualTo(200);

        String gone = FileTransfers.sha256(unused);
        assertThat(admin.delete("/api/v1/files/" + gone).status()).isEqualTo(204);
        assertThat(admin.get("/api/v1/files/" + gone).status()).isEqualTo(404);
        assertThat(admin.get("/api/v1/files/" + gone + "/content").status()).isEqualTo(404);
        assertThat(Files.exists(opsbase.dataDir().resolve("files").resolve(gone.substring(0, 2))
                .resolve(gone.substring(2, 4)).resolve(gone))).isFalse();
        assertThat(admin.delete("/api/v1/files/" + gone).status()).isEqualTo(404);
        assertThat(auditLog.list(new AuditQuery(null, "file.deleted", "file", gone, null, null, null, null, 10)).items())
                .hasSize(1);

        var again = transfers().upload("/api/v1/files?name=unused-again", unused, operator);
        assertThat(again.statusCode()).as("the content can be stored again after a delete").isEqualTo(201);
        assertThat(transfers().get("/api/v1/files/" + gone + "/content", operator).body()).isEqualTo(unused);
    }

    @Test
    void pagesTheListNewestFirstWithACursor() throws Exception {
        var operator = bearer(Role.OPERATOR);
        for (int i = 0; i < 3; i++) {
            assertThat(transfers().upload("/api/v1/files?name=p" + i, FileTransfers.content(10, 100 + i), operator)
                    .statusCode()).isEqualTo(201);
        }
        var viewer = ApiClient.at(port).withBearer(users.tokenFor(Role.VIEWER));
        var first = viewer.get("/api/v1/files?limit=2").json();
        assertThat(first.get("items").size()).isEqualTo(2);
        assertThat(first.get("total").asLong()).isGreaterThanOrEqualTo(3);
        var seen = new java.util.ArrayList<String>();
        first.get("items").forEach(n -> seen.add(n.get("sha256").asString()));
        String next = first.get("next").asString();
        while (next != null) {
            var page = viewer.get("/api/v1/files?limit=2&cursor=" + next).json();
            page.get("items").forEach(n -> seen.add(n.get("sha256").asString()));
            next = page.get("next").isNull() ? null : page.get("next").asString();
        }
        assertThat(seen).doesNotHaveDuplicates().hasSize((int) first.get("total").asLong())
                .contains(FileTransfers.sha256(FileTransfers.content(10, 100)), FileTransfers.sha256(FileTransfers.content(10, 102)));
    }

    static Map<String, String> with(Map<String, String> headers, String name, String value) {
        var all = new java.util.HashMap<>(headers);
        all.put(name, value);
        return all;
    }
}
