package io.opsbase.platform;

import org.springframework.http.HttpStatus;

/** A resource that does not exist (or that the caller may not know exists). → 404. */
public final class NotFoundException extends ApiException {

    public NotFoundException(String what, Object id) {
        super(HttpStatus.NOT_FOUND, "not-found", what + " " + id + " does not exist");
    }
}
