package io.opsbase.files;

import java.net.URI;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

import io.opsbase.platform.Problems;

/**
 * A streamed upload whose bytes do not hash to the digest the sender declared (and signed) → 400
 * problem {@code /problems/content-digest-mismatch}; nothing is stored.
 */
public final class DigestMismatchException extends ErrorResponseException {

    public DigestMismatchException(String declared, String actual) {
        super(HttpStatus.BAD_REQUEST, problem(declared, actual), null);
    }

    private static ProblemDetail problem(String declared, String actual) {
        var problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                "the body's SHA-256 is " + actual + " but the request declared " + declared + "; nothing was stored");
        problem.setType(URI.create(Problems.TYPE_PREFIX + "content-digest-mismatch"));
        return problem;
    }
}
