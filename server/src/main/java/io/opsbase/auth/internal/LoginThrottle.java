package io.opsbase.auth.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.DisabledException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

import io.opsbase.audit.AuditLog;
import io.opsbase.auth.UserChanged;

/**
 * Password authentication for the login form and HTTP Basic, with brute-force protection: each
 * consecutive failure adds a growing delay, and {@value #LOCK_AFTER} failures lock the account for
 * {@link #LOCK_FOR}. Unknown users cost the same password check as known ones, so timing does not
 * reveal which usernames exist. A success resets the count.
 */
@Component
public class LoginThrottle implements AuthenticationProvider {

    static final int LOCK_AFTER = 5;
    static final Duration LOCK_FOR = Duration.ofMinutes(15);

    private final UserRepository users;
    private final PasswordEncoder encoder;
    private final AuditLog audit;
    private final Clock clock;
    private final Sleeper sleeper;
    /** A real hash of nothing anyone knows, checked for unknown users so they take as long as known ones. */
    private final String dummyHash;

    LoginThrottle(UserRepository users, PasswordEncoder encoder, AuditLog audit, Clock clock, Sleeper sleeper) {
        this.users = users;
        this.encoder = encoder;
        this.audit = audit;
        this.clock = clock;
        this.sleeper = sleeper;
        this.dummyHash = encoder.encode(java.util.UUID.randomUUID().toString());
    }

    // Deliberately not @Transactional: the delay after a failure must not hold a pooled
    // connection, or a password-guessing burst would starve the pool. Each write commits alone.
    @Override
    public Authentication authenticate(Authentication authentication) {
        String username = authentication.getName();
        String password = authentication.getCredentials() == null ? "" : authentication.getCredentials().toString();
        var stored = users.findByUsername(username);
        if (stored.isEmpty()) {
            encoder.matches(password, dummyHash);
            throw new BadCredentialsException("Bad credentials");
        }
        var user = stored.get();
        var account = user.account();
        Instant now = clock.instant();
        if (account.lockedUntil() != null && account.lockedUntil().isAfter(now)) {
            throw new LockedException("Account locked until " + account.lockedUntil());
        }
        if (!encoder.matches(password, user.passwordHash())) {
            int failures = user.failedLogins() + 1;
            Instant lockedUntil = failures >= LOCK_AFTER ? now.plus(LOCK_FOR) : null;
            users.recordFailedLogin(account.id(), lockedUntil != null ? 0 : failures, lockedUntil);
            audit.append(new UserChanged(lockedUntil != null ? "login.locked" : "login.failed", account.id(),
                    "failed login " + failures + (lockedUntil != null ? ", locked until " + lockedUntil : ""), username));
            sleeper.pause(Duration.ofMillis(200L * Math.min(failures, 10)));
            throw lockedUntil != null ? new LockedException("Account locked") : new BadCredentialsException("Bad credentials");
        }
        if (!account.enabled()) {
            throw new DisabledException("Account disabled");
        }
        if (user.failedLogins() > 0 || account.lockedUntil() != null) {
            users.recordSuccessfulLogin(account.id());
        }
        return UsernamePasswordAuthenticationToken.authenticated(account.username(), null,
                List.of(new SimpleGrantedAuthority(account.role().authority())));
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }

    /** The delay after a failed login; a bean so tests can observe it instead of waiting. */
    @Component
    public static class Sleeper {
        public void pause(Duration d) {
            try {
                Thread.sleep(d);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
