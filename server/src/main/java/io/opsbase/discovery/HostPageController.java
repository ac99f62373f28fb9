package io.opsbase.discovery;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.UriComponentsBuilder;

import io.opsbase.agents.AgentInfo;
import io.opsbase.agents.AgentService;
import io.opsbase.cmdb.CiHistory;
import io.opsbase.cmdb.CiService;
import io.opsbase.cmdb.ConfigurationItem;
import io.opsbase.discovery.DiscoveredHosts.HostFilter;
import io.opsbase.platform.BadRequestException;
import io.opsbase.platform.NotFoundException;

/**
 * {@code /hosts}: the discovered hosts with their status, hardware summary and last sighting,
 * filtered by status, OS and text; and {@code /hosts/{id}}, one host's inventory, components with
 * provenance, discovered changes, agent and identity evidence. Read-only, so every signed-in role
 * may see them (the web chain requires the login).
 */
@Controller
@RequestMapping("/hosts")
class HostPageController {

    private static final int PAGE_SIZE = 50;
    /** The newest history rows searched for discovered changes. */
    private static final int HISTORY_SCANNED = 500;

    private final DiscoveredHosts hosts;
    private final CiService cis;
    private final CiHistory history;
    private final AgentService agents;

    HostPageController(DiscoveredHosts hosts, CiService cis, CiHistory history, AgentService agents) {
        this.hosts = hosts;
        this.cis = cis;
        this.history = history;
        this.agents = agents;
    }

    /** A row of the list: the host and its status ({@link DiscoveredHosts#statusOf}). */
    record HostRow(HostSummary host, String status) {
    }

    /** The list filters as submitted, for the form and the paging links. */
    record Filter(String q, String os, String status) {

        String url(String cursor) {
            var b = UriComponentsBuilder.fromPath("/hosts");
            Map<String, String> params = new LinkedHashMap<>();
            params.put("q", q);
            params.put("os", os);
            params.put("status", status);
            params.put("cursor", cursor);
            params.forEach((k, v) -> {
                if (v != null && !v.isBlank()) {
                    b.queryParam(k, v);
                }
            });
            return b.encode().build().toUriString();
        }

        boolean isEmpty() {
            return (q == null || q.isBlank()) && (os == null || os.isBlank()) && (status == null || status.isBlank());
        }
    }

    @GetMapping
    String list(Filter filter, @RequestParam(required = false) String cursor, Model model) {
        HostFilter query;
        try {
            query = new HostFilter(filter.q(), filter.os(), filter.status());
        } catch (BadRequestException e) {
            // An unknown status in the URL: no status filter, the field marked.
            query = new HostFilter(filter.q(), filter.os(), null);
            model.addAttribute("filterError", "status");
        }
        var page = hosts.search(query, cursor, PAGE_SIZE);
        model.addAttribute("rows", page.items().stream().map(h -> new HostRow(h, DiscoveredHosts.statusOf(h))).toList());
        model.addAttribute("filter", filter);
        model.addAttribute("filterEmpty", filter.isEmpty());
        model.addAttribute("statuses", DiscoveredHosts.STATUSES);
        model.addAttribute("operatingSystems", hosts.operatingSystems());
        model.addAttribute("nextUrl", page.next() == null ? null : filter.url(page.next()));
        model.addAttribute("firstUrl", cursor == null ? null : filter.url(null));
        return "hosts/hosts";
    }

    @GetMapping("/{id:\\d+}")
    String detail(@PathVariable long id, Model model) {
        HostDetail detail = hosts.get(id);
        ConfigurationItem ci = cis.get(id);
        model.addAttribute("detail", detail);
        model.addAttribute("host", detail.host());
        model.addAttribute("status", DiscoveredHosts.statusOf(detail.host()));
        model.addAttribute("ci", ci);
        model.addAttribute("inventory", detail.inventory());
        model.addAttribute("agent", agent(detail.host().agentId()));
        model.addAttribute("view", HostDetailView.of(detail, ci.attributes(),
                history.forCi(id, null, HISTORY_SCANNED).items()));
        return "hosts/host";
    }

    private AgentInfo agent(Long agentId) {
        if (agentId == null) {
            return null;
        }
        try {
            return agents.get(agentId);
        } catch (NotFoundException e) {
            return null;
        }
    }
}
