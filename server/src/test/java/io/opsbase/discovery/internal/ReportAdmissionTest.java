package io.opsbase.discovery.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.opsbase.discovery.DiscoveryProperties;

class ReportAdmissionTest {

    static ReportAdmission admission(int concurrent, Duration wait) {
        return new ReportAdmission(new DiscoveryProperties(Duration.ofHours(24), "Server", "in_use", Duration.ofMinutes(1),
                Duration.ofDays(30), concurrent, wait));
    }

    @Test
    void admitsUpToTheLimitAndTurnsAwayTheNextUntilOneLeaves() throws Exception {
        ReportAdmission admission = admission(2, Duration.ZERO);
        assertThat(admission.enter()).isTrue();
        assertThat(admission.enter()).isTrue();
        assertThat(admission.enter()).as("a third report while two run").isFalse();
        admission.leave();
        assertThat(admission.enter()).isTrue();
    }

    @Test
    void aWaitingReportGetsTheTurnOfOneThatLeaves() throws Exception {
        ReportAdmission admission = admission(1, Duration.ofMinutes(1));
        assertThat(admission.enter()).isTrue();
        Thread waiting = Thread.ofVirtual().start(() -> {
            try {
                assertThat(admission.enter()).isTrue();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        admission.leave();
        waiting.join(Duration.ofMinutes(1));
        assertThat(waiting.isAlive()).isFalse();
    }
}
