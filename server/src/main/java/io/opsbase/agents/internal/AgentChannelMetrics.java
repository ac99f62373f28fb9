package io.opsbase.agents.internal;

import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Publishes how many agents hold a long-poll on this node ({@code opsbase_agents_open_polls} at
 * {@code /actuator/prometheus}): with the poll being the agents' heartbeat, it is the number of
 * agents this node can reach right now, and what the agent-load benchmark checks.
 */
@Component
class AgentChannelMetrics implements MeterBinder {

    private final AgentChannel channel;

    AgentChannelMetrics(AgentChannel channel) {
        this.channel = channel;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("opsbase.agents.open.polls", channel, AgentChannel::openPolls)
                .description("Agents holding a long-poll on this node")
                .register(registry);
    }
}
