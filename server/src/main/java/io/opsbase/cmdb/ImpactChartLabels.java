package io.opsbase.cmdb;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.context.MessageSource;
import org.springframework.stereotype.Component;

import io.opsbase.cmdb.internal.CmdbJson;

/**
 * The words the impact chart shows — class labels, relation type labels and tooltip captions in
 * the page's language — as JSON for a {@code data-labels} attribute: {@code cmdb-graph.js} reads
 * them there because the CSP allows no inline script.
 */
@Component
class ImpactChartLabels {

    private static final List<String> WORDS = List.of("depth", "root", "state", "open", "failed");

    private final ClassCatalog classes;
    private final RelationService relations;
    private final MessageSource messages;

    ImpactChartLabels(ClassCatalog classes, RelationService relations, MessageSource messages) {
        this.classes = classes;
        this.relations = relations;
        this.messages = messages;
    }

    String json(Locale locale) {
        Map<String, String> classLabels = new LinkedHashMap<>();
        classes.list().forEach(c -> classLabels.put(c.name(), c.label()));
        Map<String, String> typeLabels = new LinkedHashMap<>();
        relations.types().forEach(t -> typeLabels.put(t.name(),
                messages.getMessage("cmdb.relation." + t.name() + ".outgoing", null, t.label(), locale)));
        Map<String, String> words = new LinkedHashMap<>();
        WORDS.forEach(w -> words.put(w, messages.getMessage("cmdb.impact.chart." + w, null, locale)));
        return CmdbJson.MAPPER.writeValueAsString(Map.of("classes", classLabels, "types", typeLabels, "words", words));
    }
}
