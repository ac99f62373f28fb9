package io.opsbase.agents;

import java.net.URI;
import java.security.Principal;
import java.time.Duration;
import java.time.format.DateTimeParseException;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.opsbase.platform.InvalidInputException;
import io.opsbase.platform.Page;

/** {@code /api/v1/enrollment-tokens}: admins only (see the security configuration). */
@RestController
@RequestMapping("/api/v1/enrollment-tokens")
class EnrollmentTokenApiController {

    private final EnrollmentTokenService tokens;

    EnrollmentTokenApiController(EnrollmentTokenService tokens) {
        this.tokens = tokens;
    }

    /** @param expiresIn ISO-8601 duration, default PT24H, at most 30 days. */
    record CreateRequest(Integer uses, String expiresIn, Boolean autoApprove, String description) {
    }

    @PostMapping
    ResponseEntity<IssuedEnrollmentToken> create(@RequestBody CreateRequest body, Principal principal) {
        Duration life = null;
        if (body.expiresIn() != null) {
            try {
                life = Duration.parse(body.expiresIn());
            } catch (DateTimeParseException e) {
                throw new InvalidInputException("expiresIn", "an ISO-8601 duration such as PT24H");
            }
        }
        IssuedEnrollmentToken issued = tokens.issue(body.uses() == null ? 1 : body.uses(), life,
                Boolean.TRUE.equals(body.autoApprove()), body.description(), principal.getName());
        return ResponseEntity.created(URI.create("/api/v1/enrollment-tokens/" + issued.id())).body(issued);
    }

    @GetMapping
    Page<EnrollmentToken> list() {
        return Page.of(tokens.list());
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> revoke(@PathVariable long id) {
        tokens.revoke(id);
        return ResponseEntity.noContent().build();
    }
}
