package io.opsbase.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import io.opsbase.auth.internal.TokenRepository;
import io.opsbase.auth.internal.UserRepository;
import io.opsbase.platform.InvalidInputException;
import io.opsbase.platform.NotFoundException;

/**
 * Personal access tokens: {@code obt_} followed by 32 random bytes (base64url). Only the SHA-256
 * of the whole token is stored; the secret is returned once, by {@link #issue}. A token with
 * 256 bits of entropy needs no slow hash: finding a preimage of SHA-256 is the attack, not guessing.
 *
 * <p>A token that authenticated is remembered for {@link #REMEMBER_FOR} (by its hash), so a busy
 * API client costs no database read per call. Revoking a token or changing any user (role,
 * enabled, password) forgets every remembered token on this node at once, and again after the
 * change commits; on other nodes of a cluster the change takes effect within {@link #REMEMBER_FOR}.
 */
@Service
public class TokenService {

    public static final String PREFIX = "obt_";
    static final Duration MAX_LIFETIME = Duration.ofDays(366);
    static final Duration DEFAULT_LIFETIME = Duration.ofDays(90);

    private final TokenRepository tokens;
    private final UserRepository users;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    static final Duration REMEMBER_FOR = Duration.ofSeconds(5);
    private static final int REMEMBER_AT_MOST = 10_000;

    private record Remembered(UserAccount account, Instant expiresAt, long rememberedAtNanos) {
    }

    private final ConcurrentHashMap<String, Remembered> remembered = new ConcurrentHashMap<>();
    /** Bumped by every forget: a read that started before it must not remember its answer. */
    private final AtomicLong generation = new AtomicLong();

    TokenService(TokenRepository tokens, UserRepository users, ApplicationEventPublisher events, Clock clock) {
        this.tokens = tokens;
        this.users = users;
        this.events = events;
        this.clock = clock;
    }

    @Transactional
    public IssuedToken issue(long userId, String name, Duration lifetime) {
        String label = name == null || name.isBlank() ? "token" : name.strip();
        if (label.length() > 100) {
            throw new InvalidInputException("name", "at most 100 characters");
        }
        Duration life = lifetime == null ? DEFAULT_LIFETIME : lifetime;
        if (life.isNegative() || life.isZero() || life.compareTo(MAX_LIFETIME) > 0) {
            throw new InvalidInputException("expiresIn", "between 1 second and " + MAX_LIFETIME.toDays() + " days");
        }
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        Instant now = clock.instant();
        Instant expiresAt = now.plus(life);
        long id = tokens.insert(userId, label, sha256(token), token.substring(0, 10), now, expiresAt);
        events.publishEvent(new UserChanged("token.created", userId, "token " + id + " '" + label + "' expires " + expiresAt, null));
        return new IssuedToken(token, id, label, expiresAt);
    }

    /**
     * The user a presented token belongs to, when the token is known, unexpired, unrevoked and the
     * user enabled. Not transactional: two reads and, at most once a minute, the last-used write.
     */
    public Optional<UserAccount> authenticate(String presented) {
        if (presented == null || !presented.startsWith(PREFIX) || presented.length() > 100) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        String hash = sha256(presented);
        Remembered known = remembered.get(hash);
        if (known != null && System.nanoTime() - known.rememberedAtNanos() < REMEMBER_FOR.toNanos()
                && now.isBefore(known.expiresAt())) {
            return Optional.of(known.account());
        }
        long readFrom = generation.get();
        var token = tokens.findByHash(hash).filter(t -> t.activeAt(now));
        Optional<UserAccount> account = token
                .flatMap(t -> {
                    if (t.lastUsedAt() == null || t.lastUsedAt().isBefore(now.minusSeconds(60))) {
                        tokens.touch(t.id(), now); // at most once a minute: a busy client costs no write per call
                    }
                    return users.findById(t.userId());
                })
                .map(UserRepository.StoredUser::account)
                .filter(UserAccount::enabled);
        if (account.isPresent()) {
            if (remembered.size() >= REMEMBER_AT_MOST) {
                remembered.clear();
            }
            remembered.put(hash, new Remembered(account.get(), token.get().expiresAt(), System.nanoTime()));
            if (generation.get() != readFrom) {
                remembered.remove(hash); // a revocation or user change raced this read
            }
        } else {
            remembered.remove(hash);
        }
        return account;
    }

    /** Any change to a user or a token: forget every remembered token now and once more after the change commits. */
    @EventListener
    void userChanged(UserChanged change) {
        forgetAll();
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    forgetAll();
                }
            });
        }
    }

    private void forgetAll() {
        generation.incrementAndGet();
        remembered.clear();
    }

    @Transactional(readOnly = true)
    public List<ApiToken> listFor(long userId) {
        return tokens.findByUser(userId);
    }

    /** Revokes a token of {@code userId}'s (admins may pass any owner). */
    @Transactional
    public void revoke(long userId, long tokenId, boolean anyOwner) {
        ApiToken token = tokens.findById(tokenId)
                .filter(t -> anyOwner || t.userId() == userId)
                .orElseThrow(() -> new NotFoundException("Token", tokenId));
        forgetAll();
        if (tokens.revoke(tokenId, clock.instant())) {
            events.publishEvent(new UserChanged("token.revoked", token.userId(), "token " + tokenId + " revoked", null));
        }
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
