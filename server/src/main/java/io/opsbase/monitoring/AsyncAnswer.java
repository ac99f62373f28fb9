package io.opsbase.monitoring;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;

import io.opsbase.platform.Problems;
import io.opsbase.platform.RequestIds;

/**
 * The one answer of an ingest request answered on the servlet's own async context: written by
 * whichever comes first, the store's durable acknowledgement (or its failure) or the timeout (a
 * 503 problem, as Spring MVC answers a timed-out request). Answering this way, from the thread
 * that completes the WAL's sync, ends the exchange there — without the second dispatch through
 * Tomcat, both security filter chains and Spring MVC that returning a future costs.
 */
final class AsyncAnswer implements AsyncListener {

    /** As Tomcat's default async timeout, which applied when these answers were returned futures. */
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(AsyncAnswer.class);

    /** What to write into the response. */
    @FunctionalInterface
    interface Body {
        void write() throws IOException;
    }

    private final AsyncContext async;
    private final String requestId;
    private final String what;
    private final AtomicBoolean answered = new AtomicBoolean();

    /** Starts async processing of {@code request}; {@code what} names the request in log lines. */
    AsyncAnswer(HttpServletRequest request, HttpServletResponse response, String what) {
        this.async = request.startAsync(request, response);
        this.requestId = RequestIds.current();
        this.what = what;
        async.setTimeout(TIMEOUT.toMillis());
        async.addListener(this);
    }

    /** Answers with {@code body}, unless answered already (timed out). */
    void send(Body body) {
        if (!answered.compareAndSet(false, true)) {
            return;
        }
        try (var bound = RequestIds.bind(requestId)) {
            body.write();
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not write the answer to {}: {}", what, e.toString());
        } finally {
            async.complete();
        }
    }

    /** Answers a failure to make the request durable: logged with the request id, a 500 problem. */
    void failed(HttpServletRequest request, Throwable failure) {
        try (var bound = RequestIds.bind(requestId)) {
            LOG.error("{} {} failed", request.getMethod(), request.getRequestURI(), failure);
        }
        send(() -> Problems.write((HttpServletResponse) async.getResponse(), HttpStatus.INTERNAL_SERVER_ERROR, "internal",
                "An unexpected error occurred; the request id identifies it in the server log"));
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        send(() -> Problems.write((HttpServletResponse) async.getResponse(), HttpStatus.SERVICE_UNAVAILABLE, "unavailable",
                "The samples were not made durable within " + TIMEOUT.toSeconds() + " s; send them again"));
    }

    @Override
    public void onComplete(AsyncEvent event) {
    }

    @Override
    public void onError(AsyncEvent event) {
        answered.set(true);
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
    }
}
