package io.opsbase.discovery;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.context.event.EventListener;

import io.opsbase.agents.EnrollmentTokenService;
import io.opsbase.testing.TestUsers;

/** The discovery API tests' context: a clock they can move, and the {@link HostInventoryChanged} events published. */
@TestConfiguration(proxyBeanMethods = false)
@Import(TestUsers.class)
class DiscoveryTestConfiguration {

    @Bean
    @Primary
    MutableClock testClock() {
        return new MutableClock();
    }

    @Bean
    SimulatedAgents simulatedAgents(EnrollmentTokenService tokens, MutableClock clock) {
        return new SimulatedAgents(tokens, clock);
    }

    @Bean
    InventoryChanges inventoryChanges() {
        return new InventoryChanges();
    }

    static class InventoryChanges {

        final List<HostInventoryChanged> received = new CopyOnWriteArrayList<>();

        @EventListener
        void on(HostInventoryChanged event) {
            received.add(event);
        }

        List<HostInventoryChanged> forCi(long ciId) {
            return received.stream().filter(e -> e.ciId() == ciId).toList();
        }
    }

}
