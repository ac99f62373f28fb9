package io.opsbase.discovery.internal;

import java.time.Clock;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import io.opsbase.agents.AgentEnrolled;

/** Remembers, in the enrollment's transaction, whether the agent's token auto-approves new hosts. */
@Component
class AgentEnrolledListener {

    private final DiscoveryAgentRepository agents;
    private final Clock clock;

    AgentEnrolledListener(DiscoveryAgentRepository agents, Clock clock) {
        this.agents = agents;
        this.clock = clock;
    }

    @EventListener
    void on(AgentEnrolled event) {
        agents.register(event.agentId(), event.autoApprove(), clock.instant());
    }
}
