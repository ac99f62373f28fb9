package io.opsbase.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import io.opsbase.auth.Role;
import io.opsbase.testing.ApiClient;
import io.opsbase.testing.TestUsers;

/** {@code opsbase.files.max-size}: a larger upload is a 413 problem and leaves nothing behind. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "opsbase.files.max-size=1MB")
@Import(TestUsers.class)
class FileSizeLimitTest {

    @LocalServerPort
    int port;

    @Autowired
    TestUsers users;

    @Autowired
    FileStore store;

    @Test
    void refusesAnUploadWhoseDeclaredLengthIsTooLargeBeforeReadingIt() throws Exception {
        byte[] content = FileTransfers.content((1 << 20) + 1, 11);
        var r = new FileTransfers(port).upload("/api/v1/files?name=big", content, operator());

        assertRefused(r.statusCode(), r.body(), FileTransfers.sha256(content));
    }

    @Test
    void refusesAChunkedUploadWhenItPassesTheLimitMidStream() throws Exception {
        byte[] content = FileTransfers.content((1 << 20) + 300_000, 12);
        var r = new FileTransfers(port).uploadChunked("/api/v1/files?name=big", content, operator());

        assertRefused(r.statusCode(), r.body(), FileTransfers.sha256(content));
    }

    @Test
    void acceptsAFileOfExactlyTheLimit() throws Exception {
        byte[] content = FileTransfers.content(1 << 20, 13);
        var r = new FileTransfers(port).uploadChunked("/api/v1/files?name=limit", content, operator());

        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(store.find(FileTransfers.sha256(content))).isPresent();
    }

    private void assertRefused(int status, byte[] body, String sha) {
        assertThat(status).isEqualTo(413);
        String json = new String(body, StandardCharsets.UTF_8);
        assertThat(json).contains("/problems/payload-too-large").contains("\"maxBytes\":1048576");
        assertThat(store.pendingUploads()).isZero();
        assertThat(store.find(sha)).isEmpty();
        var viewer = ApiClient.at(port).withBearer(users.tokenFor(Role.VIEWER));
        assertThat(viewer.get("/api/v1/files/" + sha).status()).isEqualTo(404);
    }

    private Map<String, String> operator() {
        return Map.of("Authorization", "Bearer " + users.tokenFor(Role.OPERATOR));
    }
}
