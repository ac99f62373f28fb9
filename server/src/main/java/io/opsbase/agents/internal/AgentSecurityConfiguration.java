package io.opsbase.agents.internal;

import java.time.Clock;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import jakarta.servlet.DispatcherType;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;

import io.opsbase.platform.Problems;
import io.opsbase.protocol.AgentEndpoints;
import io.opsbase.protocol.signing.NonceStore;

/**
 * The agent chain, ahead of the user API chain: {@code /api/v1/agent/**} takes HMAC-signed
 * requests only (no tokens, no sessions); enrollment is open because its one-time token
 * authenticates it.
 */
@Configuration(proxyBeanMethods = false)
class AgentSecurityConfiguration {

    @Bean
    @Order(0)
    SecurityFilterChain agentChain(HttpSecurity http, AgentCredentialCache credentials, NonceStore nonces,
            LastSeenRecorder lastSeen, ApplicationEventPublisher events, Clock clock) throws Exception {
        http.securityMatcher("/api/v1/agent/**")
                .csrf(c -> c.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(c -> c.disable())
                .securityContext(c -> c.requireExplicitSave(true))
                .addFilterBefore(new AgentSignatureFilter(credentials, nonces, lastSeen, events, clock),
                        AnonymousAuthenticationFilter.class)
                .exceptionHandling(e -> e
                        .authenticationEntryPoint((req, res, ex) -> Problems.write(res, HttpStatus.UNAUTHORIZED,
                                "unauthenticated", "Agent requests must be signed"))
                        .accessDeniedHandler((req, res, ex) -> Problems.write(res, HttpStatus.FORBIDDEN,
                                "forbidden", "Not an agent request")))
                .authorizeHttpRequests(a -> a
                        // Async (long-poll) and error dispatches were authorised on the original request.
                        .dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR).permitAll()
                        .requestMatchers(AgentEndpoints.ENROLL).permitAll()
                        .anyRequest().hasRole("AGENT"));
        return http.build();
    }

    /**
     * No Micrometer observations of Spring Security's own filters, authentications and
     * authorisations, for every chain (the setting is global): otherwise each of the chain's filters
     * is wrapped in an observation on every request, and every agent request is signed and small.
     * (The decorator was on the stack of half of all profiled samples under metrics load — on the
     * stack, which bounds its own cost from above; its own share was not measured separately.) The
     * HTTP server's request observation ({@code http.server.requests}) still times every request.
     */
    @Bean
    SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }
}
