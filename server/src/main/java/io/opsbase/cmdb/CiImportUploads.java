package io.opsbase.cmdb;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.springframework.stereotype.Component;

import jakarta.servlet.http.HttpSession;

/**
 * Holds the CSV file of a web import between its dry run and its commit: one file per session
 * (a new upload replaces it), at most {@link #MAX_BYTES}, for {@link #TTL}, and only for the
 * commit that names its random token. The commit validates the file again from scratch, so
 * nothing the dry run concluded is trusted; nothing the browser sends but the token is used.
 */
@Component
class CiImportUploads {

    /** Larger files go through {@code POST /api/v1/import/{class}}, which streams. */
    static final int MAX_BYTES = 20 * 1024 * 1024;
    static final Duration TTL = Duration.ofMinutes(15);
    private static final String ATTRIBUTE = CiImportUploads.class.getName();

    private final Clock clock;

    CiImportUploads(Clock clock) {
        this.clock = clock;
    }

    /** An uploaded file waiting for its commit. */
    record Pending(String token, String className, String fileName, byte[] content, Instant expires) {
    }

    Pending keep(HttpSession session, String className, String fileName, byte[] content) {
        Pending pending = new Pending(UUID.randomUUID().toString(), className, fileName, content,
                clock.instant().plus(TTL));
        session.setAttribute(ATTRIBUTE, pending);
        return pending;
    }

    /** Removes and answers the pending file when {@code token} names it and it has not expired. */
    Optional<Pending> take(HttpSession session, String token) {
        if (!(session.getAttribute(ATTRIBUTE) instanceof Pending pending) || !pending.token().equals(token)) {
            return Optional.empty();
        }
        session.removeAttribute(ATTRIBUTE);
        return clock.instant().isAfter(pending.expires()) ? Optional.empty() : Optional.of(pending);
    }
}
