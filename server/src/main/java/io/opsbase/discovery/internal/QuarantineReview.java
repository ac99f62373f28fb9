package io.opsbase.discovery.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import io.opsbase.discovery.DiscoveryService;

/**
 * Runs {@link DiscoveryService#reviewQuarantine} every {@code opsbase.discovery.review-every}.
 * Several nodes may run it at once: each case is locked and re-checked as open before it is merged.
 */
@Component
class QuarantineReview {

    private static final Logger log = LoggerFactory.getLogger(QuarantineReview.class);

    private final DiscoveryService discovery;

    QuarantineReview(DiscoveryService discovery) {
        this.discovery = discovery;
    }

    @Scheduled(fixedDelayString = "${opsbase.discovery.review-every:1m}", initialDelayString = "${opsbase.discovery.review-every:1m}")
    void review() {
        try {
            var resolved = discovery.reviewQuarantine();
            if (!resolved.isEmpty()) {
                log.info("discovery: {} quarantined re-enrollment(s) resolved: cases {}", resolved.size(),
                        resolved.stream().map(c -> c.id()).toList());
            }
        } catch (RuntimeException e) {
            // A concurrent decision on the same case loses the race and retries on the next run.
            log.warn("discovery: quarantine review failed, retrying next run: {}", e.toString());
        }
    }
}
