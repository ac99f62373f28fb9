package io.opsbase.platform;

import org.slf4j.MDC;

/**
 * The current request's id. {@link RequestIdFilter} sets it for every HTTP request; background
 * work sets it with {@link #bind}. It travels in the log pattern, in problem responses and in
 * audit records, so one id ties a failure together end to end.
 */
public final class RequestIds {

    public static final String HEADER = "X-Request-Id";
    static final String MDC_KEY = "requestId";

    private RequestIds() {
    }

    /** The current id, or {@code null} outside a request. */
    public static String current() {
        return MDC.get(MDC_KEY);
    }

    public static MDC.MDCCloseable bind(String requestId) {
        return MDC.putCloseable(MDC_KEY, requestId);
    }
}
