package io.opsbase.auth.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import io.opsbase.platform.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * HTTP Basic, honoured on exactly one route: {@code POST /api/v1/tokens}, so a script can get its
 * first token with a password. Everywhere else the API takes bearer tokens only, and a Basic
 * header is ignored (the request stays anonymous and gets 401).
 */
class TokenEndpointBasicFilter extends OncePerRequestFilter {

    private final AuthenticationManager authenticationManager;

    TokenEndpointBasicFilter(AuthenticationManager authenticationManager) {
        this.authenticationManager = authenticationManager;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return !("POST".equals(request.getMethod()) && "/api/v1/tokens".equals(path));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)
                || SecurityContextHolder.getContext().getAuthentication() != null) {
            chain.doFilter(request, response);
            return;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            Problems.write(response, HttpStatus.UNAUTHORIZED, "unauthenticated", "Malformed Basic credentials");
            return;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            Problems.write(response, HttpStatus.UNAUTHORIZED, "unauthenticated", "Malformed Basic credentials");
            return;
        }
        try {
            var auth = authenticationManager.authenticate(UsernamePasswordAuthenticationToken.unauthenticated(
                    decoded.substring(0, colon), decoded.substring(colon + 1)));
            var context = SecurityContextHolder.createEmptyContext();
            context.setAuthentication(auth);
            SecurityContextHolder.setContext(context);
            try {
                chain.doFilter(request, response);
            } finally {
                SecurityContextHolder.clearContext();
            }
        } catch (AuthenticationException e) {
            Problems.write(response, HttpStatus.UNAUTHORIZED, "unauthenticated",
                    e instanceof LockedException ? "The account is locked for a while after repeated failures"
                            : "Bad credentials");
        }
    }
}
