package io.opsbase.web;

import java.io.IOException;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import io.opsbase.platform.RequestIds;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Keeps the request id as a request attribute. The container renders error pages in a separate
 * dispatch after the request-id filter has cleared its logging context; the attribute survives
 * into that dispatch, so the error page can show the id the response header carries.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class RequestIdAttributeFilter extends OncePerRequestFilter {

    static final String ATTRIBUTE = RequestIdAttributeFilter.class.getName() + ".requestId";

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        request.setAttribute(ATTRIBUTE, RequestIds.current());
        chain.doFilter(request, response);
    }
}
