package io.opsbase.platform;

import java.util.Map;

import org.springframework.http.HttpStatus;

/**
 * The small set of errors features throw; {@link ApiExceptionHandler} maps each to an RFC 9457
 * problem in one place. {@code kind} becomes the stable problem {@code type} ({@code /problems/<kind>}).
 * Subclasses are the error kinds; features never build responses themselves.
 */
public abstract sealed class ApiException extends RuntimeException
        permits NotFoundException, InvalidInputException, ConflictException, PreconditionFailedException,
        BadRequestException, TooManyRequestsException, UnavailableException {

    private final HttpStatus status;
    private final String kind;

    protected ApiException(HttpStatus status, String kind, String detail) {
        super(detail);
        this.status = status;
        this.kind = kind;
    }

    public HttpStatus status() {
        return status;
    }

    public String kind() {
        return kind;
    }

    /** Extra members of the problem object (RFC 9457 extensions). */
    public Map<String, Object> properties() {
        return Map.of();
    }
}
