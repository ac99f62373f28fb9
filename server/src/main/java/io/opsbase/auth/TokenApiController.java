package io.opsbase.auth;

import java.net.URI;
import java.security.Principal;
import java.time.Duration;
import java.time.format.DateTimeParseException;

import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.opsbase.platform.InvalidInputException;
import io.opsbase.platform.Page;

/** Personal access tokens of the calling user. {@code POST} also accepts HTTP Basic. */
@RestController
@RequestMapping("/api/v1")
class TokenApiController {

    private final TokenService tokens;
    private final UserService users;

    TokenApiController(TokenService tokens, UserService users) {
        this.tokens = tokens;
        this.users = users;
    }

    /** @param expiresIn ISO-8601 duration, e.g. {@code P30D}; default 90 days, at most 366. */
    record CreateTokenRequest(String name, String expiresIn) {
    }

    @PostMapping("/tokens")
    ResponseEntity<IssuedToken> create(@RequestBody(required = false) CreateTokenRequest body, Principal principal) {
        CreateTokenRequest req = body == null ? new CreateTokenRequest(null, null) : body;
        Duration life = null;
        if (req.expiresIn() != null) {
            try {
                life = Duration.parse(req.expiresIn());
            } catch (DateTimeParseException e) {
                throw new InvalidInputException("expiresIn", "an ISO-8601 duration such as P30D or PT12H");
            }
        }
        UserAccount me = users.getByUsername(principal.getName());
        IssuedToken issued = tokens.issue(me.id(), req.name(), life);
        return ResponseEntity.created(URI.create("/api/v1/tokens/" + issued.id())).body(issued);
    }

    @GetMapping("/tokens")
    Page<ApiToken> list(Principal principal) {
        return Page.of(tokens.listFor(users.getByUsername(principal.getName()).id()));
    }

    @DeleteMapping("/tokens/{id}")
    ResponseEntity<Void> revoke(@PathVariable long id, Authentication auth) {
        boolean admin = auth.getAuthorities().stream().anyMatch(a -> a.getAuthority().equals(Role.ADMIN.authority()));
        tokens.revoke(users.getByUsername(auth.getName()).id(), id, admin);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/me")
    UserAccount me(Principal principal) {
        return users.getByUsername(principal.getName());
    }
}
