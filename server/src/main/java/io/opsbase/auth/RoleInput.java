package io.opsbase.auth;

import java.util.Arrays;
import java.util.stream.Collectors;

import io.opsbase.platform.InvalidInputException;

/** Reads a role key typed by a person or an API client; an unknown key is a field error, not a 500. */
final class RoleInput {

    private static final String ALLOWED = Arrays.stream(Role.values()).map(Role::key).collect(Collectors.joining(", "));

    private RoleInput() {
    }

    static Role parse(String key) {
        for (Role r : Role.values()) {
            if (r.key().equals(key)) {
                return r;
            }
        }
        throw new InvalidInputException("role", "one of " + ALLOWED);
    }
}
