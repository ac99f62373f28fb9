package io.opsbase.auth.internal;

import org.springframework.context.annotation.Bean;
import jakarta.servlet.DispatcherType;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;

import io.opsbase.auth.TokenService;
import io.opsbase.platform.Problems;

/**
 * Two filter chains. The API chain ({@code /api/**}) is stateless: bearer tokens everywhere, HTTP
 * Basic only on {@code POST /api/v1/tokens} (to get the first token), no session, no CSRF (no
 * cookies are accepted), and 401/403 as problem JSON. The web chain is form login with a session,
 * CSRF protection and strict security headers. Agent routes get their own signature filter in the
 * agents feature.
 *
 * <p>Authorisation by role: viewers and auditors read; operators and admins write; auditors and
 * admins read the audit log; admins manage users and the CMDB schema.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    private static final String ADMIN = "ADMIN";
    private static final String OPERATOR = "OPERATOR";
    private static final String VIEWER = "VIEWER";
    private static final String AUDITOR = "AUDITOR";

    @Bean
    PasswordEncoder passwordEncoder() {
        // bcrypt by default, with the {id} prefix so the algorithm can change without a migration.
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    AuthenticationManager authenticationManager(LoginThrottle loginThrottle) {
        return new ProviderManager(loginThrottle);
    }

    @Bean
    @Order(1)
    SecurityFilterChain apiChain(HttpSecurity http, TokenService tokens, AuthenticationManager authenticationManager)
            throws Exception {
        http.securityMatcher("/api/**")
                .csrf(c -> c.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(c -> c.disable())
                .securityContext(c -> c.requireExplicitSave(true))
                .authenticationManager(authenticationManager)
                .addFilterBefore(new BearerTokenFilter(tokens), BasicAuthenticationFilter.class)
                .addFilterAfter(new TokenEndpointBasicFilter(authenticationManager), BearerTokenFilter.class)
                .exceptionHandling(e -> e
                        .authenticationEntryPoint((req, res, ex) ->
                                Problems.write(res, HttpStatus.UNAUTHORIZED, "unauthenticated", "Authentication is required"))
                        .accessDeniedHandler((req, res, ex) ->
                                Problems.write(res, HttpStatus.FORBIDDEN, "forbidden", "Your role does not allow this")))
                .headers(h -> h.cacheControl(c -> { }))
                .authorizeHttpRequests(a -> a
                        // Async (long-poll) and error dispatches were authorised on the original request.
                        .dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR).permitAll()
                        .requestMatchers("/api/v1/tokens", "/api/v1/tokens/**").authenticated()
                        .requestMatchers("/api/v1/me").authenticated()
                        .requestMatchers("/api/v1/audit/**").hasAnyRole(ADMIN, AUDITOR)
                        .requestMatchers("/api/v1/users/**", "/api/v1/enrollment-tokens/**").hasRole(ADMIN)
                        .requestMatchers(HttpMethod.POST, "/api/v1/agents/*/revoke").hasRole(ADMIN)
                        .requestMatchers(HttpMethod.DELETE, "/api/v1/files/**").hasRole(ADMIN)
                        .requestMatchers(HttpMethod.GET, "/api/v1/notification-channels/**", "/api/v1/notification-deliveries")
                                .hasAnyRole(ADMIN, OPERATOR)
                        .requestMatchers("/api/v1/notification-channels/**").hasRole(ADMIN)
                        .requestMatchers("/api/v1/dashboards", "/api/v1/dashboards/**").hasAnyRole(ADMIN, OPERATOR, VIEWER, AUDITOR)
                        .requestMatchers(HttpMethod.GET, "/api/**").hasAnyRole(ADMIN, OPERATOR, VIEWER, AUDITOR)
                        .requestMatchers(HttpMethod.HEAD, "/api/**").hasAnyRole(ADMIN, OPERATOR, VIEWER, AUDITOR)
                        .requestMatchers("/api/v1/classes/**").hasRole(ADMIN)
                        .anyRequest().hasAnyRole(ADMIN, OPERATOR));
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain webChain(HttpSecurity http, AuthenticationManager authenticationManager) throws Exception {
        http.authenticationManager(authenticationManager)
                .formLogin(f -> f.loginPage("/login").defaultSuccessUrl("/", false).failureUrl("/login?error").permitAll())
                .logout(l -> l.logoutUrl("/logout").logoutSuccessUrl("/login?logout"))
                .headers(h -> h
                        .contentSecurityPolicy(c -> c.policyDirectives(
                                "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                                        + "script-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"))
                        .referrerPolicy(r -> r.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN))
                        .frameOptions(f -> f.deny()))
                .sessionManagement(s -> s.sessionFixation(f -> f.changeSessionId()))
                .authorizeHttpRequests(a -> a
                        .requestMatchers("/login", "/error", "/css/**", "/js/**", "/img/**", "/webjars/**",
                                "/favicon.ico", "/actuator/health/**", "/v3/api-docs/**", "/swagger-ui/**",
                                "/swagger-ui.html", "/install/**").permitAll()
                        .requestMatchers("/actuator/prometheus").permitAll()
                        .requestMatchers("/admin/**").hasRole(ADMIN)
                        .requestMatchers("/audit/**").hasAnyRole(ADMIN, AUDITOR)
                        .anyRequest().authenticated());
        return http.build();
    }
}
