package io.opsbase.auth;

import io.opsbase.platform.ConflictException;

/**
 * An administrator may not take away their own access: demoting or disabling oneself would leave
 * a single-admin installation with nobody able to undo it.
 */
final class SelfLockoutGuard {

    private SelfLockoutGuard() {
    }

    static void check(UserAccount target, String currentUsername, Role newRole, boolean newEnabled) {
        if (target.username().equals(currentUsername) && (newRole != Role.ADMIN || !newEnabled)) {
            throw new ConflictException("self-lockout",
                    "You cannot remove your own administrator role or disable your own account");
        }
    }
}
