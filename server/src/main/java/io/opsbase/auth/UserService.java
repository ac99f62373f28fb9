package io.opsbase.auth;

import java.time.Clock;
import java.util.List;
import java.util.regex.Pattern;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.opsbase.auth.internal.UserRepository;
import io.opsbase.platform.ConflictException;
import io.opsbase.platform.InvalidInputException;
import io.opsbase.platform.NotFoundException;

/** The auth feature's face for user accounts: create, re-role, enable/disable, change password. */
@Service
public class UserService {

    private static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._-]{1,63}");
    static final int MIN_PASSWORD_LENGTH = 12;

    private final UserRepository users;
    private final PasswordEncoder encoder;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    UserService(UserRepository users, PasswordEncoder encoder, ApplicationEventPublisher events, Clock clock) {
        this.users = users;
        this.encoder = encoder;
        this.events = events;
        this.clock = clock;
    }

    @Transactional
    public UserAccount create(String username, String displayName, String password, Role role) {
        if (username == null || !USERNAME.matcher(username).matches()) {
            throw new InvalidInputException("username", "2-64 characters: lower-case letters, digits, '.', '_' or '-'");
        }
        checkPassword(password);
        if (role == null) {
            throw new InvalidInputException("role", "one of admin, operator, viewer, auditor");
        }
        if (users.findByUsername(username).isPresent()) {
            throw new ConflictException("duplicate-username", "A user named " + username + " already exists");
        }
        long id = users.insert(username, displayName, encoder.encode(password), role, clock.instant());
        events.publishEvent(new UserChanged("user.created", id, "created " + username + " as " + role.key(), null));
        return get(id);
    }

    @Transactional
    public UserAccount update(long id, String displayName, Role role, boolean enabled) {
        UserAccount before = get(id);
        users.update(id, displayName, role, enabled, clock.instant());
        String summary = "role " + before.role().key() + " -> " + role.key() + ", enabled " + before.enabled() + " -> " + enabled;
        events.publishEvent(new UserChanged("user.updated", id, summary, null));
        return get(id);
    }

    @Transactional
    public void changePassword(long id, String password) {
        get(id);
        checkPassword(password);
        users.updatePassword(id, encoder.encode(password), clock.instant());
        events.publishEvent(new UserChanged("user.password-changed", id, "password changed", null));
    }

    @Transactional(readOnly = true)
    public UserAccount get(long id) {
        return users.findById(id).map(UserRepository.StoredUser::account)
                .orElseThrow(() -> new NotFoundException("User", id));
    }

    @Transactional(readOnly = true)
    public UserAccount getByUsername(String username) {
        return users.findByUsername(username).map(UserRepository.StoredUser::account)
                .orElseThrow(() -> new NotFoundException("User", username));
    }

    @Transactional(readOnly = true)
    public List<UserAccount> list() {
        return users.findAll();
    }

    private static void checkPassword(String password) {
        if (password == null || password.length() < MIN_PASSWORD_LENGTH) {
            throw new InvalidInputException("password", "at least " + MIN_PASSWORD_LENGTH + " characters");
        }
    }
}
