package io.opsbase.web;

import java.util.Map;

import org.springframework.boot.webmvc.error.DefaultErrorAttributes;
import org.springframework.boot.web.error.ErrorAttributeOptions;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.WebRequest;

import io.opsbase.platform.RequestIds;

/**
 * Adds the request id to the error model so the 403/404/500 pages can show it. The error
 * dispatch runs after {@code RequestIdFilter} has left the request, so the id is read back from
 * the request attribute {@link RequestIdAttributeFilter} kept.
 */
@Component
class PageErrorAttributes extends DefaultErrorAttributes {

    @Override
    public Map<String, Object> getErrorAttributes(WebRequest request, ErrorAttributeOptions options) {
        Map<String, Object> attributes = super.getErrorAttributes(request, options);
        String id = RequestIds.current();
        if (id == null && request.getAttribute(RequestIdAttributeFilter.ATTRIBUTE, RequestAttributes.SCOPE_REQUEST)
                instanceof String kept) {
            id = kept;
        }
        attributes.put("requestId", id);
        return attributes;
    }
}
