package io.opsbase.cmdb;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.ui.Model;

/**
 * Fills the model of a CI's detail page: attributes, state and transitions, relations with the
 * add-relation form, a downstream impact summary, components and the history timeline. Shared by
 * the page controllers that render the detail page again with inline errors.
 */
@Component
class CiDetailPage {

    static final String VIEW = "cmdb/ci";
    private static final int HISTORY_SHOWN = 100;
    /** The detail page's graph is small; beyond this many CIs it links to the impact page instead. */
    static final int GRAPH_LIMIT = 150;

    private final CiService cis;
    private final CiHistory history;
    private final ClassCatalog classes;
    private final CiComponents components;
    private final RelationService relations;
    private final ImpactService impact;
    private final ImpactChartLabels chartLabels;

    CiDetailPage(CiService cis, CiHistory history, ClassCatalog classes, CiComponents components,
            RelationService relations, ImpactService impact, ImpactChartLabels chartLabels) {
        this.chartLabels = chartLabels;
        this.cis = cis;
        this.history = history;
        this.classes = classes;
        this.components = components;
        this.relations = relations;
        this.impact = impact;
    }

    /** The add-relation form as typed: {@code relation} is {@code <direction>:<type>}. */
    record RelationForm(String relation, Long target, String targetName) {

        static RelationForm empty() {
            return new RelationForm(null, null, null);
        }
    }

    String show(long id, Model model) {
        return show(id, model, RelationForm.empty(), Map.of());
    }

    /** The page with the add-relation form refilled and its errors ({@code relation}, {@code target}) inline. */
    String show(long id, Model model, RelationForm relationForm, Map<String, String> relationErrors) {
        ConfigurationItem ci = cis.get(id);
        CiClass ciClass = classes.get(ci.className());
        model.addAttribute("ci", ci);
        model.addAttribute("ciClass", ciClass);
        model.addAttribute("transitions", ci.retired() ? List.of() : ciClass.lifecycle().allowed(ci.state()));
        model.addAttribute("attributes", attributeRows(ci, ciClass));
        if (ciClass.hardware()) {
            model.addAttribute("components", components.list(id, null));
            model.addAttribute("componentKinds", new TreeSet<>(CiComponents.KINDS));
        }
        List<Relation> all = relations.relationsOf(id);
        model.addAttribute("relationGroups", CiRelationChoices.group(all));
        model.addAttribute("relationCount", all.size());
        model.addAttribute("classLabels", classLabels());
        model.addAttribute("relationChoices", CiRelationChoices.forClass(ci.className(), relations.types()));
        model.addAttribute("relationForm", relationForm);
        model.addAttribute("relationErrors", relationErrors);
        ImpactGraph downstream = impact.analyse(id, ImpactDirection.DOWNSTREAM, ImpactService.DEFAULT_DEPTH);
        model.addAttribute("impact", downstream);
        boolean draw = !downstream.nodes().isEmpty() && downstream.nodes().size() <= GRAPH_LIMIT;
        model.addAttribute("drawGraph", draw);
        if (draw) {
            model.addAttribute("graphLabels", chartLabels.json(LocaleContextHolder.getLocale()));
        }
        var entries = history.forCi(id, null, HISTORY_SHOWN);
        CiTimeline timeline = CiTimeline.of(entries.items());
        model.addAttribute("timeline", timeline);
        model.addAttribute("relationNames", relationNames(timeline));
        model.addAttribute("historyTotal", entries.total());
        return VIEW;
    }

    /** The names of the CIs at the other end of the relation rows in the timeline, by id. */
    private Map<Long, String> relationNames(CiTimeline timeline) {
        Map<Long, String> names = new java.util.HashMap<>();
        timeline.entries().stream().flatMap(e -> e.lines().stream()).map(CiTimeline.Line::relation)
                .filter(java.util.Objects::nonNull)
                .forEach(r -> names.computeIfAbsent(r.otherId(), this::referenceName));
        return names;
    }

    /** Class name → label, for the other ends of relations. */
    Map<String, String> classLabels() {
        Map<String, String> labels = new java.util.HashMap<>();
        classes.list().forEach(c -> labels.put(c.name(), c.label()));
        return labels;
    }

    /** One attribute as the detail page shows it; {@code refId} links a reference to its CI. */
    record AttributeRow(AttributeDefinition definition, String value, Long refId) {
    }

    private List<AttributeRow> attributeRows(ConfigurationItem ci, CiClass ciClass) {
        List<AttributeRow> rows = new ArrayList<>();
        for (AttributeDefinition a : ciClass.attributes()) {
            Object value = ci.attributes().get(a.name());
            if (value == null) {
                rows.add(new AttributeRow(a, null, null));
            } else if (a.type() == AttributeType.REFERENCE && value instanceof Number ref) {
                // Stored JSON reads back as Integer or Long depending on size.
                rows.add(new AttributeRow(a, referenceName(ref.longValue()), ref.longValue()));
            } else {
                rows.add(new AttributeRow(a, CiForm.inputValue(a, value).replace('T', ' '), null));
            }
        }
        return rows;
    }

    private String referenceName(long id) {
        try {
            return cis.get(id).name();
        } catch (io.opsbase.platform.NotFoundException e) {
            return "#" + id;
        }
    }
}
