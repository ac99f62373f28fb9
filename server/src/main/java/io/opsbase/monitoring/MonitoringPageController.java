package io.opsbase.monitoring;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import io.opsbase.platform.ApiException;
import io.opsbase.web.Notice;

/**
 * Monitoring pages: the alerts page (open alerts, recent history, acknowledge) and the JSON the
 * graphs on host pages draw from ({@code /monitoring/graph}, the session-authenticated twin of
 * {@code GET /api/v1/metrics/query}).
 */
@Controller
class MonitoringPageController {

    private final AlertService alerts;
    private final GraphQueries graphs;

    MonitoringPageController(AlertService alerts, GraphQueries graphs) {
        this.alerts = alerts;
        this.graphs = graphs;
    }

    @GetMapping("/monitoring/graph")
    @ResponseBody
    GraphQueries.QueryResult graph(@RequestParam String series, @RequestParam(required = false) String from,
            @RequestParam(required = false) String to, @RequestParam(defaultValue = "800") int width) {
        return graphs.query(series, from, to, width);
    }

    @GetMapping("/alerts")
    String alerts(@RequestParam(defaultValue = "open") String state, Model model) {
        String shown = switch (state) {
            case "open", "resolved", "all" -> state;
            default -> "open";
        };
        model.addAttribute("state", shown);
        model.addAttribute("alerts", alerts.list(shown, null, null, 200).items());
        model.addAttribute("silences", alerts.silences());
        return "monitoring/alerts";
    }

    @PostMapping("/alerts/{id}/acknowledge")
    String acknowledge(@PathVariable long id, @RequestParam(required = false) String comment, Authentication auth,
            RedirectAttributes redirect) {
        MonitoringSettingsPageController.requireWriter(auth);
        try {
            Alert a = alerts.acknowledge(id, auth.getName(), comment);
            redirect.addFlashAttribute(Notice.ATTRIBUTE, Notice.success("alerts.notice.acknowledged", a.rule()));
        } catch (ApiException e) {
            redirect.addFlashAttribute(Notice.ATTRIBUTE, Notice.failure("alerts.notice.failed", e.getMessage()));
        }
        return "redirect:/alerts";
    }
}
