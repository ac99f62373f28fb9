package io.opsbase.discovery.internal;

import java.time.Clock;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import io.opsbase.discovery.DiscoveryProperties;

/** Drops idempotency keys past {@code opsbase.discovery.key-retention}; harmless on every node at once. */
@Component
class ReportKeyJanitor {

    private final ReportRepository reports;
    private final DiscoveryProperties properties;
    private final Clock clock;

    ReportKeyJanitor(ReportRepository reports, DiscoveryProperties properties, Clock clock) {
        this.reports = reports;
        this.properties = properties;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT5M")
    @Transactional
    void forgetOldKeys() {
        reports.forgetKeys(clock.instant().minus(properties.keyRetention()));
    }
}
