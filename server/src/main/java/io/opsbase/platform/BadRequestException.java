package io.opsbase.platform;

import org.springframework.http.HttpStatus;

/** A request that cannot be understood at all (bad query parameter, unreadable cursor). → 400. */
public final class BadRequestException extends ApiException {

    public BadRequestException(String detail) {
        super(HttpStatus.BAD_REQUEST, "bad-request", detail);
    }
}
