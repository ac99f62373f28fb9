package io.opsbase.platform;

import org.springframework.http.HttpStatus;

/** An {@code If-Match} that no longer matches the current version. → 412. */
public final class PreconditionFailedException extends ApiException {

    public PreconditionFailedException(String detail) {
        super(HttpStatus.PRECONDITION_FAILED, "precondition-failed", detail);
    }
}
