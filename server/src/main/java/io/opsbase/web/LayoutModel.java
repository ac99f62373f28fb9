package io.opsbase.web;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

import jakarta.servlet.http.HttpServletRequest;

/**
 * What the shared layout needs on every page: who is signed in (from the security context, no
 * database read) and the current path, so the language switch returns to the same page.
 */
@ControllerAdvice
class LayoutModel {

    /** The signed-in user as the navigation shows it; {@code role} is the lower-case role key. */
    public record NavUser(String username, String role, String initials) {
    }

    @ModelAttribute("navUser")
    NavUser navUser(Authentication authentication) {
        if (authentication == null || authentication instanceof AnonymousAuthenticationToken
                || !authentication.isAuthenticated()) {
            return null;
        }
        String role = authentication.getAuthorities().stream().map(GrantedAuthority::getAuthority)
                .filter(a -> a.startsWith("ROLE_")).map(a -> a.substring(5).toLowerCase(java.util.Locale.ROOT))
                .findFirst().orElse("");
        String name = authentication.getName();
        return new NavUser(name, role, name.substring(0, Math.min(2, name.length())).toUpperCase(java.util.Locale.ROOT));
    }

    @ModelAttribute("currentPath")
    String currentPath(HttpServletRequest request) {
        // On an error page, switch the language of the page that failed, not of /error.
        Object failed = request.getAttribute(jakarta.servlet.RequestDispatcher.ERROR_REQUEST_URI);
        String uri = failed instanceof String s ? s : request.getRequestURI();
        String path = uri.substring(Math.min(request.getContextPath().length(), uri.length()));
        return path.isEmpty() ? "/" : path;
    }
}
