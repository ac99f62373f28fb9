package io.opsbase.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import io.opsbase.auth.Role;
import io.opsbase.testing.TestUsers;
import io.opsbase.testing.WebSession;

/** The /files page: the list in both languages, the script's raw upload with CSRF, delete by role. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestUsers.class)
class FilePagesTest {

    @LocalServerPort
    int port;

    @Autowired
    TestUsers users;

    @Autowired
    FileStore store;

    private WebSession signedIn(Role role, String language) {
        WebSession session = WebSession.at(port).header("Accept-Language", language);
        assertThat(session.login(users.createUser(role), TestUsers.PASSWORD).location()).isEqualTo("/");
        return session;
    }

    private WebSession.Page rawUpload(WebSession session, String name, byte[] content, String csrf) {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/files/upload?name=" + name))
                .header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofByteArray(content));
        return session.send(request, csrf == null ? Map.of() : Map.of("X-CSRF-TOKEN", csrf));
    }

    @Test
    void operatorUploadsThroughThePageScriptAndSeesTheFileListed() {
        WebSession operator = signedIn(Role.OPERATOR, "en");
        var page = operator.get("/files");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("id=\"file-upload-form\"").contains("/js/files.js").contains("href=\"/files\"");

        byte[] content = FileTransfers.content(4096, 31);
        String sha = FileTransfers.sha256(content);
        assertThat(rawUpload(operator, "page.bin", content, null).status()).as("without the CSRF token").isEqualTo(403);
        var uploaded = rawUpload(operator, "page.bin", content, page.csrfToken());
        assertThat(uploaded.status()).isEqualTo(201);
        assertThat(uploaded.body()).contains(sha).contains("\"created\":true");
        assertThat(rawUpload(operator, "page.bin", content, page.csrfToken()).status()).isEqualTo(200);

        var listed = operator.get("/files");
        assertThat(listed.body()).contains("page.bin").contains("data-sha256=\"" + sha + "\"")
                .doesNotContain("/files/" + sha + "/delete");
        var download = operator.get("/files/" + sha + "/content");
        assertThat(download.status()).isEqualTo(200);
        assertThat(download.raw().headers().firstValue("ETag")).hasValue("\"" + sha + "\"");
    }

    @Test
    void viewerSeesTheListInChineseButCannotUploadOrDelete() {
        byte[] content = FileTransfers.content(2048, 32);
        String sha = store.store(new java.io.ByteArrayInputStream(content), "viewer.bin", null, "test").file().sha256();
        WebSession viewer = signedIn(Role.VIEWER, "zh-CN");
        var page = viewer.get("/files");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("文件").contains("viewer.bin").doesNotContain("id=\"file-upload-form\"");

        assertThat(rawUpload(viewer, "v.bin", new byte[] {1}, page.csrfToken()).status()).isEqualTo(403);
        assertThat(viewer.post("/files/" + sha + "/delete", Map.of(), page.csrfToken()).status()).isEqualTo(403);
        assertThat(store.find(sha)).isPresent();
    }

    @Test
    void adminDeletesAFileFromThePage() {
        byte[] content = FileTransfers.content(2048, 33);
        String sha = store.store(new java.io.ByteArrayInputStream(content), "old.bin", null, "test").file().sha256();
        WebSession admin = signedIn(Role.ADMIN, "en");
        var page = admin.get("/files");
        assertThat(page.body()).contains("/files/" + sha + "/delete");

        var deleted = admin.post("/files/" + sha + "/delete", Map.of(), page.csrfToken());
        assertThat(deleted.location()).isEqualTo("/files");
        assertThat(store.find(sha)).isEmpty();
        assertThat(admin.get("/files").body()).contains("Deleted old.bin.");
    }
}
