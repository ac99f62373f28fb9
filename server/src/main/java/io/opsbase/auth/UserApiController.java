package io.opsbase.auth;

import java.net.URI;
import java.security.Principal;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.opsbase.platform.InvalidInputException;
import io.opsbase.platform.Page;

/** {@code /api/v1/users}: user administration, admins only (enforced by the security configuration). */
@RestController
@RequestMapping("/api/v1/users")
class UserApiController {

    private static final int MAX_DISPLAY_NAME = 200;

    private final UserService users;

    UserApiController(UserService users) {
        this.users = users;
    }

    record CreateUserRequest(String username, String displayName, String password, String role) {
    }

    /** JSON merge patch: a field that is absent (or null) keeps its value. */
    record UserPatch(String displayName, String role, Boolean enabled) {
    }

    record PasswordRequest(String password) {
    }

    @GetMapping
    Page<UserAccount> list() {
        return Page.of(users.list());
    }

    @PostMapping
    ResponseEntity<UserAccount> create(@RequestBody CreateUserRequest body) {
        if (body.role() == null) {
            throw new InvalidInputException("role", "required");
        }
        UserAccount created = users.create(body.username(), checkedDisplayName(body.displayName()), body.password(),
                RoleInput.parse(body.role()));
        return ResponseEntity.created(URI.create("/api/v1/users/" + created.id())).body(created);
    }

    @GetMapping("/{id}")
    UserAccount get(@PathVariable long id) {
        return users.get(id);
    }

    @PatchMapping(path = "/{id}", consumes = {"application/merge-patch+json", "application/json"})
    UserAccount update(@PathVariable long id, @RequestBody UserPatch patch, Principal principal) {
        UserAccount current = users.get(id);
        Role role = patch.role() == null ? current.role() : RoleInput.parse(patch.role());
        boolean enabled = patch.enabled() == null ? current.enabled() : patch.enabled();
        String displayName = patch.displayName() == null ? current.displayName() : checkedDisplayName(patch.displayName());
        SelfLockoutGuard.check(current, principal.getName(), role, enabled);
        return users.update(id, displayName, role, enabled);
    }

    @PostMapping("/{id}/password")
    ResponseEntity<Void> changePassword(@PathVariable long id, @RequestBody PasswordRequest body) {
        users.changePassword(id, body.password());
        return ResponseEntity.noContent().build();
    }

    private static String checkedDisplayName(String displayName) {
        if (displayName != null && displayName.length() > MAX_DISPLAY_NAME) {
            throw new InvalidInputException("displayName", "at most " + MAX_DISPLAY_NAME + " characters");
        }
        return displayName;
    }
}
