package io.opsbase.discovery;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

/**
 * Discovery settings ({@code opsbase.discovery.*}).
 *
 * @param staleAfter    a host whose agent has neither reported nor been seen for this long is shown stale
 * @param approvalClass the CMDB class a new host is created in when the approval names none (and on
 *                      auto-approval); a hardware class, so components can be recorded
 * @param approvalState the lifecycle state it is created in
 * @param reviewEvery   how often quarantined clones are re-checked for an old agent gone silent
 * @param keyRetention  how long a report's idempotency key is remembered; an agent's outbox retries
 *                      well within it
 * @param concurrentReports inventory reports reconciled at once; more wait, holding no database
 *                      connection, so that reports never take every connection from the agents'
 *                      long-polls and heartbeats
 * @param reportWait    how long a report waits for its turn before it is answered 503 with
 *                      {@code Retry-After} (the agent keeps it in its outbox and sends it again)
 */
@Validated
@ConfigurationProperties("opsbase.discovery")
public record DiscoveryProperties(
        @NotNull @DefaultValue("24h") Duration staleAfter,
        @NotBlank @DefaultValue("Server") String approvalClass,
        @NotBlank @DefaultValue("in_use") String approvalState,
        @NotNull @DefaultValue("1m") Duration reviewEvery,
        @NotNull @DefaultValue("30d") Duration keyRetention,
        @DefaultValue("8") int concurrentReports,
        @NotNull @DefaultValue("30s") Duration reportWait) {

    public DiscoveryProperties {
        if (staleAfter != null && (staleAfter.isNegative() || staleAfter.isZero())) {
            throw new IllegalArgumentException("opsbase.discovery.stale-after must be positive, not " + staleAfter);
        }
        if (concurrentReports < 1) {
            throw new IllegalArgumentException("opsbase.discovery.concurrent-reports must be at least 1, not " + concurrentReports);
        }
        if (keyRetention != null && keyRetention.compareTo(Duration.ofDays(1)) < 0) {
            throw new IllegalArgumentException("opsbase.discovery.key-retention must be at least 1d, not " + keyRetention);
        }
    }
}
