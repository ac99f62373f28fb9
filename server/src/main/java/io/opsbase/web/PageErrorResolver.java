package io.opsbase.web;

import java.io.IOException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponse;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;

import io.opsbase.platform.ApiException;
import io.opsbase.platform.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Gives a feature exception thrown while rendering a page its real status (a missing user is a
 * 404 page, not a 500; an unknown path is a 404 page, not problem JSON), so the friendly error
 * page for that status shows. API requests are left to the problem-details handler.
 */
@Component
class PageErrorResolver implements HandlerExceptionResolver, Ordered {

    private static final Logger log = LoggerFactory.getLogger(PageErrorResolver.class);

    @Override
    public ModelAndView resolveException(HttpServletRequest request, HttpServletResponse response, Object handler,
            Exception ex) {
        if (Problems.isApi(request)) {
            return null;
        }
        int status;
        if (ex instanceof ApiException api) {
            status = api.status().value();
        } else if (ex instanceof ErrorResponse framework) {
            // Spring MVC's own errors (no such page, wrong method, bad parameter) on a page.
            status = framework.getStatusCode().value();
        } else {
            return null;
        }
        log.warn("{} {} -> {} {}", request.getMethod(), request.getRequestURI(), status, ex.getMessage());
        try {
            response.sendError(status);
        } catch (IOException e) {
            return null;
        }
        return new ModelAndView();
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
