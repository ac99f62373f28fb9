package io.opsbase.platform;

import java.net.URI;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Maps every error under {@code /api} to an RFC 9457 problem: a stable {@code type} per kind, the
 * real status, the request id, and never a stack trace. 4xx are logged at WARN, 5xx at ERROR.
 * Errors on web pages are rethrown so the HTML error page handles them.
 */
@RestControllerAdvice
public class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<Object> handleApi(ApiException e, HttpServletRequest request) throws ApiException {
        if (!Problems.isApi(request)) {
            throw e;
        }
        ProblemDetail problem = Problems.of(e.status(), e.kind(), e.getMessage());
        e.properties().forEach(problem::setProperty);
        log.warn("{} {} -> {} {}", request.getMethod(), request.getRequestURI(), e.status().value(), e.getMessage());
        if (e.properties().get("retryAfterSeconds") instanceof Long seconds) {
            return ResponseEntity.status(e.status()).header(HttpHeaders.RETRY_AFTER, Long.toString(seconds)).body(problem);
        }
        return ResponseEntity.status(e.status()).body(problem);
    }

    @ExceptionHandler(AccessDeniedException.class)
    ResponseEntity<Object> handleDenied(AccessDeniedException e, HttpServletRequest request) throws AccessDeniedException {
        // Method-security denials surface here; let the security filters answer 401/403 uniformly.
        throw e;
    }

    @ExceptionHandler(AuthenticationException.class)
    ResponseEntity<Object> handleUnauthenticated(AuthenticationException e) throws AuthenticationException {
        throw e;
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> handleUnexpected(Exception e, HttpServletRequest request) throws Exception {
        if (!Problems.isApi(request)) {
            throw e;
        }
        log.error("{} {} failed", request.getMethod(), request.getRequestURI(), e);
        return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).body(Problems.of(
                HttpStatus.INTERNAL_SERVER_ERROR, "internal",
                "An unexpected error occurred; the request id identifies it in the server log"));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        ProblemDetail problem = Problems.of(HttpStatus.BAD_REQUEST, "malformed-body",
                "The request body is not valid JSON of the expected shape");
        return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<InvalidInputException.FieldViolation> errors = ex.getBindingResult().getFieldErrors().stream()
                .map(f -> new InvalidInputException.FieldViolation(f.getField(), f.getDefaultMessage()))
                .toList();
        InvalidInputException invalid = new InvalidInputException(errors);
        ProblemDetail problem = Problems.of(invalid.status(), invalid.kind(), invalid.getMessage());
        problem.setProperty("errors", errors);
        return handleExceptionInternal(ex, problem, headers, invalid.status(), request);
    }

    /** Every Spring MVC error passes here: give it our type, title and request id. */
    @Override
    protected ResponseEntity<Object> createResponseEntity(Object body, HttpHeaders headers, HttpStatusCode status,
            WebRequest request) {
        if (body instanceof ProblemDetail problem) {
            if (problem.getType() == null || URI.create("about:blank").equals(problem.getType())) {
                problem.setType(URI.create(Problems.TYPE_PREFIX + Problems.kindFor(status)));
            }
            problem.setProperty("requestId", RequestIds.current());
            problem.setInstance(null);
        }
        HttpServletRequest servletRequest = ((NativeWebRequest) request).getNativeRequest(HttpServletRequest.class);
        if (servletRequest != null) {
            log.warn("{} {} -> {}", servletRequest.getMethod(), servletRequest.getRequestURI(), status.value());
        }
        return new ResponseEntity<>(body, headers, status);
    }
}
