package io.opsbase.platform;

import java.util.Map;

import org.springframework.http.HttpStatus;

/**
 * A well-formed request that the current state forbids: an illegal lifecycle transition, a
 * duplicate unique value, a class still in use. → 409, with a kind of its own and any details
 * the caller needs to recover (for example the allowed transitions).
 */
public final class ConflictException extends ApiException {

    private final Map<String, Object> properties;

    public ConflictException(String kind, String detail) {
        this(kind, detail, Map.of());
    }

    public ConflictException(String kind, String detail, Map<String, Object> properties) {
        super(HttpStatus.CONFLICT, kind, detail);
        this.properties = Map.copyOf(properties);
    }

    @Override
    public Map<String, Object> properties() {
        return properties;
    }
}
