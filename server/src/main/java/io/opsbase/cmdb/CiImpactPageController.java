package io.opsbase.cmdb;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;

import io.opsbase.platform.BadRequestException;

/**
 * {@code /cmdb/cis/{id}/impact}: the impact graph of a CI drawn with ECharts, downstream (what
 * breaks if it fails) or upstream (what it needs), 1–{@value #MAX_DEPTH} steps, with the business
 * services reached listed beside it. The chart's data comes from {@code impact/graph}, the
 * session-authenticated twin of {@code GET /api/v1/cis/{id}/impact}; the page passes the URL and
 * the labels to {@code cmdb-graph.js} in data- attributes, as the CSP allows no inline script.
 */
@Controller
@RequestMapping("/cmdb/cis/{id}/impact")
class CiImpactPageController {

    static final int MAX_DEPTH = 6;
    /** A force layout of more CIs than this is neither quick nor readable; the page says so instead. */
    static final int GRAPH_LIMIT = 1000;

    private final ImpactService impact;
    private final CiService cis;
    private final ClassCatalog classes;
    private final ImpactChartLabels labels;

    CiImpactPageController(ImpactService impact, CiService cis, ClassCatalog classes, ImpactChartLabels labels) {
        this.impact = impact;
        this.cis = cis;
        this.classes = classes;
        this.labels = labels;
    }

    @GetMapping
    String page(@PathVariable long id, @RequestParam(defaultValue = "downstream") String direction,
            @RequestParam(defaultValue = "" + ImpactService.DEFAULT_DEPTH) int depth, Locale locale, Model model) {
        ImpactDirection parsed = direction.equals("upstream") ? ImpactDirection.UPSTREAM : ImpactDirection.DOWNSTREAM;
        int bounded = Math.clamp(depth, 1, MAX_DEPTH);
        ConfigurationItem ci = cis.get(id);
        ImpactGraph graph = impact.analyse(id, parsed, bounded);
        Map<String, Long> byClass = new LinkedHashMap<>();
        Map<String, String> classLabels = new LinkedHashMap<>();
        classes.list().forEach(c -> classLabels.put(c.name(), c.label()));
        graph.nodes().forEach(n -> byClass.merge(classLabels.getOrDefault(n.className(), n.className()), 1L, Long::sum));
        model.addAttribute("ci", ci);
        model.addAttribute("ciClass", classes.get(ci.className()));
        model.addAttribute("impact", graph);
        model.addAttribute("byClass", byClass);
        model.addAttribute("direction", parsed.key());
        model.addAttribute("depth", bounded);
        model.addAttribute("drawGraph", !graph.nodes().isEmpty() && graph.nodes().size() <= GRAPH_LIMIT);
        model.addAttribute("graphLabels", labels.json(locale));
        model.addAttribute("depths", java.util.stream.IntStream.rangeClosed(1, MAX_DEPTH).boxed().toList());
        return "cmdb/impact";
    }

    /** The graph as JSON for the chart: the same document as {@code GET /api/v1/cis/{id}/impact}. */
    @GetMapping(path = "/graph", produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseBody
    ImpactGraph graph(@PathVariable long id, @RequestParam(defaultValue = "downstream") String direction,
            @RequestParam(defaultValue = "" + ImpactService.DEFAULT_DEPTH) int depth) {
        if (!direction.equals("downstream") && !direction.equals("upstream")) {
            throw new BadRequestException("direction must be downstream or upstream");
        }
        if (depth < 1 || depth > MAX_DEPTH) {
            throw new BadRequestException("depth must be between 1 and " + MAX_DEPTH);
        }
        return impact.analyse(id, ImpactDirection.of(direction), depth);
    }
}
