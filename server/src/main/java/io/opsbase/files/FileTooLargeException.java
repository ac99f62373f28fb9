package io.opsbase.files;

import java.net.URI;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

import io.opsbase.platform.Problems;

/**
 * An upload past {@code opsbase.files.max-size} → 413 problem {@code /problems/payload-too-large}.
 * An {@link ErrorResponseException} (which the shared handler already maps to a problem) rather
 * than a new member of the platform's sealed {@code ApiException}: 413 belongs to this feature only.
 */
public final class FileTooLargeException extends ErrorResponseException {

    public FileTooLargeException(long maxBytes) {
        super(HttpStatus.CONTENT_TOO_LARGE, problem(maxBytes), null);
    }

    private static ProblemDetail problem(long maxBytes) {
        var problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE,
                "files are limited to " + maxBytes + " bytes (opsbase.files.max-size)");
        problem.setType(URI.create(Problems.TYPE_PREFIX + "payload-too-large"));
        problem.setProperty("maxBytes", maxBytes);
        return problem;
    }
}
