package io.opsbase.platform;

import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;

/**
 * Input that is well-formed JSON but breaks the rules: one {@link FieldViolation} per bad field.
 * → 422 with an {@code errors} array.
 */
public final class InvalidInputException extends ApiException {

    private final List<FieldViolation> errors;

    public InvalidInputException(List<FieldViolation> errors) {
        super(HttpStatus.UNPROCESSABLE_CONTENT, "validation", errors.size() == 1
                ? errors.getFirst().field() + ": " + errors.getFirst().message()
                : errors.size() + " fields are invalid");
        this.errors = List.copyOf(errors);
    }

    public InvalidInputException(String field, String message) {
        this(List.of(new FieldViolation(field, message)));
    }

    public List<FieldViolation> errors() {
        return errors;
    }

    @Override
    public Map<String, Object> properties() {
        return Map.of("errors", errors);
    }

    /** One rejected field: its JSON path (e.g. {@code attributes.cpu_count}) and why. */
    public record FieldViolation(String field, String message) {
    }
}
