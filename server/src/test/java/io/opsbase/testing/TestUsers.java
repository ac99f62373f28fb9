package io.opsbase.testing;

import org.springframework.stereotype.Component;

import io.opsbase.auth.Role;
import io.opsbase.auth.TokenService;
import io.opsbase.auth.UserService;

/**
 * Creates users of each role and bearer tokens for them through the real auth facade. Register
 * with {@code @Import(TestUsers.class)}.
 */
@Component
public class TestUsers {

    public static final String PASSWORD = "correct-horse-battery";

    private final UserService users;
    private final TokenService tokens;

    public TestUsers(UserService users, TokenService tokens) {
        this.users = users;
        this.tokens = tokens;
    }

    /** A new user with a unique name and the given role, and a fresh token for it. */
    public String tokenFor(Role role) {
        String name = role.key() + "-" + Long.toHexString(System.nanoTime());
        var user = users.create(name, name, PASSWORD, role);
        return tokens.issue(user.id(), "test", null).token();
    }

    public String createUser(Role role) {
        String name = role.key() + "-" + Long.toHexString(System.nanoTime());
        users.create(name, name, PASSWORD, role);
        return name;
    }
}
