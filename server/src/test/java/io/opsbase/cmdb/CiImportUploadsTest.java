package io.opsbase.cmdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpSession;

import io.opsbase.testing.MutableClock;

/** The per-session holder of a web import's file: one file, its token only, for a short while. */
class CiImportUploadsTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-05T10:00:00Z"));
    private final CiImportUploads uploads = new CiImportUploads(clock);
    private final MockHttpSession session = new MockHttpSession();

    private static byte[] csv(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void handsTheFileOnceToTheCommitThatNamesItsToken() {
        var pending = uploads.keep(session, "Server", "servers.csv", csv("name\nweb-01\n"));
        assertThat(uploads.take(session, "someone-else")).isEmpty();
        var taken = uploads.take(session, pending.token()).orElseThrow();
        assertThat(taken.className()).isEqualTo("Server");
        assertThat(new String(taken.content(), StandardCharsets.UTF_8)).isEqualTo("name\nweb-01\n");
        assertThat(uploads.take(session, pending.token())).isEmpty();
    }

    @Test
    void aNewUploadReplacesTheWaitingOne() {
        var first = uploads.keep(session, "Server", "a.csv", csv("name\na\n"));
        var second = uploads.keep(session, "Rack", "b.csv", csv("name\nb\n"));
        assertThat(uploads.take(session, first.token())).isEmpty();
        assertThat(uploads.take(session, second.token())).map(CiImportUploads.Pending::className).hasValue("Rack");
    }

    @Test
    void forgetsAFileOlderThanItsTimeToLive() {
        var pending = uploads.keep(session, "Server", "a.csv", csv("name\na\n"));
        clock.advance(CiImportUploads.TTL.plus(Duration.ofSeconds(1)));
        assertThat(uploads.take(session, pending.token())).isEmpty();
        assertThat(session.getAttributeNames().hasMoreElements()).isFalse();
    }
}
