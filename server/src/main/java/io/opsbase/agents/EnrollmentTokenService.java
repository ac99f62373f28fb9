package io.opsbase.agents;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.opsbase.platform.InvalidInputException;
import io.opsbase.platform.NotFoundException;

/**
 * Enrollment tokens: {@code oet_} + 32 random bytes, stored as SHA-256 only, with a number of
 * uses, an expiry and whether hosts enrolled with them are approved automatically. A use is
 * consumed atomically ({@code uses_left > 0} in the update), so two agents racing for the last
 * use cannot both win.
 */
@Service
public class EnrollmentTokenService {

    public static final String PREFIX = "oet_";
    static final Duration MAX_LIFETIME = Duration.ofDays(30);
    static final int MAX_USES = 100_000;

    private final JdbcClient jdbc;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    EnrollmentTokenService(JdbcClient jdbc, ApplicationEventPublisher events, Clock clock) {
        this.jdbc = jdbc;
        this.events = events;
        this.clock = clock;
    }

    @Transactional
    public IssuedEnrollmentToken issue(int uses, Duration expiresIn, boolean autoApprove, String description,
            String createdBy) {
        if (uses < 1 || uses > MAX_USES) {
            throw new InvalidInputException("uses", "between 1 and " + MAX_USES);
        }
        Duration life = expiresIn == null ? Duration.ofHours(24) : expiresIn;
        if (life.isNegative() || life.isZero() || life.compareTo(MAX_LIFETIME) > 0) {
            throw new InvalidInputException("expiresIn", "between 1 second and " + MAX_LIFETIME.toDays() + " days");
        }
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        Instant now = clock.instant();
        Instant expiresAt = now.plus(life);
        var keys = new GeneratedKeyHolder();
        jdbc.sql("""
                insert into enrollment_tokens (token_hash, token_prefix, description, uses_total, uses_left,
                    auto_approve, created_by, created_at, expires_at)
                values (:h, :p, :d, :u, :u, :a, :by, :now, :exp)""")
                .param("h", sha256(token)).param("p", token.substring(0, 10)).param("d", description)
                .param("u", uses).param("a", autoApprove).param("by", createdBy)
                .param("now", Timestamp.from(now)).param("exp", Timestamp.from(expiresAt))
                .update(keys, "id");
        long id = keys.getKey().longValue();
        events.publishEvent(new AgentEvent("enrollment-token.created", "enrollment-token", Long.toString(id),
                uses + " use(s), expires " + expiresAt + (autoApprove ? ", auto-approve" : ""), null));
        return new IssuedEnrollmentToken(token, id, uses, autoApprove, expiresAt);
    }

    @Transactional(readOnly = true)
    public List<EnrollmentToken> list() {
        return jdbc.sql("select * from enrollment_tokens order by id desc").query(EnrollmentTokenService::map).list();
    }

    @Transactional
    public void revoke(long id) {
        int n = jdbc.sql("update enrollment_tokens set revoked_at = :now where id = :id and revoked_at is null")
                .param("now", Timestamp.from(clock.instant())).param("id", id).update();
        if (n == 0 && jdbc.sql("select count(*) from enrollment_tokens where id = :id").param("id", id)
                .query(Long.class).single() == 0) {
            throw new NotFoundException("Enrollment token", id);
        }
        if (n == 1) {
            events.publishEvent(new AgentEvent("enrollment-token.revoked", "enrollment-token", Long.toString(id),
                    "revoked", null));
        }
    }

    /**
     * Consumes one use of the presented token, in the caller's transaction. Empty when the token is
     * unknown, expired, revoked or used up — the caller cannot tell which, by design.
     */
    @Transactional
    public Optional<EnrollmentToken> consume(String presented) {
        if (presented == null || !presented.startsWith(PREFIX) || presented.length() > 100) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        String hash = sha256(presented);
        int n = jdbc.sql("""
                update enrollment_tokens set uses_left = uses_left - 1
                where token_hash = :h and uses_left > 0 and revoked_at is null and expires_at > :now""")
                .param("h", hash).param("now", Timestamp.from(now)).update();
        if (n == 0) {
            return Optional.empty();
        }
        return jdbc.sql("select * from enrollment_tokens where token_hash = :h").param("h", hash)
                .query(EnrollmentTokenService::map).optional();
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static EnrollmentToken map(ResultSet rs, int n) throws SQLException {
        Timestamp revoked = rs.getTimestamp("revoked_at");
        return new EnrollmentToken(rs.getLong("id"), rs.getString("token_prefix"), rs.getString("description"),
                rs.getInt("uses_total"), rs.getInt("uses_left"), rs.getBoolean("auto_approve"),
                rs.getString("created_by"), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("expires_at").toInstant(), revoked == null ? null : revoked.toInstant());
    }
}
