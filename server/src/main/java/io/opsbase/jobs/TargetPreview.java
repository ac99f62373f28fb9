package io.opsbase.jobs;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Service;

import io.opsbase.agents.AgentService;
import io.opsbase.cmdb.ImpactDirection;
import io.opsbase.cmdb.ImpactService;
import io.opsbase.jobs.internal.TargetResolver;

/**
 * What a run on these targets would touch, before it starts: the hosts, how many have a live agent,
 * and the business services downstream of them (the CMDB impact analysis).
 */
@Service
public class TargetPreview {

    /** Impact analysis walks the graph once per host; beyond this many hosts the services listed are those of the first ones. */
    static final int ANALYSED_HOSTS = 200;
    static final int LISTED_IDS = 1000;

    private final TargetResolver targets;
    private final AgentService agents;
    private final ImpactService impact;

    TargetPreview(TargetResolver targets, AgentService agents, ImpactService impact) {
        this.targets = targets;
        this.agents = agents;
        this.impact = impact;
    }

    public RunPreview preview(Targets asked) {
        List<Long> hosts = targets.resolve(asked);
        int withAgent = agents.boundTo(hosts).size();
        Map<Long, RunPreview.Service> services = new LinkedHashMap<>();
        List<Long> analysed = hosts.subList(0, Math.min(hosts.size(), ANALYSED_HOSTS));
        for (long ci : analysed) {
            impact.analyse(ci, ImpactDirection.DOWNSTREAM, ImpactService.DEFAULT_DEPTH).businessServices()
                    .forEach(n -> services.putIfAbsent(n.id(), new RunPreview.Service(n.id(), n.name())));
        }
        return new RunPreview(hosts.size(), withAgent, hosts.subList(0, Math.min(hosts.size(), LISTED_IDS)),
                hosts.size() > LISTED_IDS, List.copyOf(services.values()), analysed.size());
    }
}
