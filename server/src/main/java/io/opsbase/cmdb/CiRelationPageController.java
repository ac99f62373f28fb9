package io.opsbase.cmdb;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.springframework.context.MessageSource;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import io.opsbase.platform.ConflictException;
import io.opsbase.platform.InvalidInputException;
import io.opsbase.platform.NotFoundException;
import io.opsbase.web.Notice;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Relations on a CI's detail page: add one (kind and direction, the other CI picked by a
 * search-as-you-type list that htmx fills from {@code candidates}), remove one. The class-pair
 * rules are {@link RelationService}'s; a rejected relation re-renders the detail page with the
 * reason under the field (422). Operators and admins write; everyone signed in reads.
 */
@Controller
@RequestMapping("/cmdb/cis/{id}/relations")
class CiRelationPageController {

    static final int CANDIDATES = 8;

    private final RelationService relations;
    private final CiService cis;
    private final CiSearch search;
    private final CiDetailPage detailPage;
    private final MessageSource messages;

    CiRelationPageController(RelationService relations, CiService cis, CiSearch search, CiDetailPage detailPage,
            MessageSource messages) {
        this.relations = relations;
        this.cis = cis;
        this.search = search;
        this.detailPage = detailPage;
        this.messages = messages;
    }

    @PostMapping
    String add(@PathVariable long id, @RequestParam(defaultValue = "") String relation,
            @RequestParam(required = false) Long target, Authentication auth, Locale locale, Model model,
            HttpServletResponse response, RedirectAttributes redirect) {
        CiPageController.requireWriter(auth);
        ConfigurationItem ci = cis.get(id);
        CiRelationChoices.Kind kind = CiRelationChoices.Kind.parse(relation);
        Map<String, String> errors = new LinkedHashMap<>();
        String otherName = target == null ? null : nameOrNull(target);
        if (kind == null) {
            errors.put("relation", text("cmdb.relation.error.kindRequired", locale));
        }
        if (target == null) {
            errors.put("target", text("cmdb.relation.error.targetRequired", locale));
        } else if (otherName == null) {
            errors.put("target", text("cmdb.relation.error.targetMissing", locale, target));
        }
        if (errors.isEmpty()) {
            long source = kind.outgoing() ? id : target;
            long destination = kind.outgoing() ? target : id;
            try {
                relations.add(source, kind.type(), destination, ChangeContext.ui(auth.getName(), null));
                redirect.addFlashAttribute(Notice.ATTRIBUTE, Notice.success("cmdb.notice.relationAdded", otherName));
                return "redirect:/cmdb/cis/" + id + "#relations";
            } catch (InvalidInputException e) {
                String field = e.errors().getFirst().field();
                errors.put(field.equals("type") ? "relation" : "target", field.equals("type")
                        ? text("cmdb.relation.error.notAllowed", locale, classLabel(ci.className()),
                                classLabel(cis.get(target).className()))
                        : text("cmdb.relation.error.self", locale));
            } catch (ConflictException e) {
                errors.put("target", e.kind().equals("relation-exists")
                        ? text("cmdb.relation.error.exists", locale, otherName)
                        : text("cmdb.relation.error.retired", locale, otherName));
            } catch (NotFoundException e) {
                errors.put("target", text("cmdb.relation.error.targetMissing", locale, target));
            }
        }
        response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
        return detailPage.show(id, model, new CiDetailPage.RelationForm(relation, target, otherName), errors);
    }

    @PostMapping("/{relationId}/remove")
    String remove(@PathVariable long id, @PathVariable long relationId, Authentication auth,
            RedirectAttributes redirect) {
        CiPageController.requireWriter(auth);
        String other = relations.relationsOf(id).stream().filter(r -> r.id() == relationId)
                .map(r -> r.ci().name()).findFirst().orElseThrow(() -> new NotFoundException("Relation", relationId));
        relations.remove(id, relationId, ChangeContext.ui(auth.getName(), null));
        redirect.addFlashAttribute(Notice.ATTRIBUTE, Notice.success("cmdb.notice.relationRemoved", other));
        return "redirect:/cmdb/cis/" + id + "#relations";
    }

    /**
     * The CIs the add-relation form offers for the chosen kind: live, of a class the rules allow at
     * the other end, matching {@code q}, not this CI and not already related this way.
     */
    @GetMapping("/candidates")
    String candidates(@PathVariable long id, @RequestParam(defaultValue = "") String relation,
            @RequestParam(defaultValue = "") String q, Authentication auth, Model model) {
        CiPageController.requireWriter(auth);
        ConfigurationItem ci = cis.get(id);
        CiRelationChoices.Kind kind = CiRelationChoices.Kind.parse(relation);
        RelationType type = kind == null ? null : relations.types().stream()
                .filter(t -> t.name().equals(kind.type())).findFirst().orElse(null);
        List<ConfigurationItem> found = new ArrayList<>();
        if (type != null) {
            Set<Long> related = new HashSet<>();
            relations.relationsOf(id).stream()
                    .filter(r -> r.type().equals(kind.type()) && r.direction().equals(kind.direction()))
                    .forEach(r -> related.add(r.ci().id()));
            related.add(id);
            for (String className : CiRelationChoices.otherEnds(ci.className(), type, kind.outgoing())) {
                String text = q.isBlank() ? null : q.strip();
                try {
                    search.search(new CiQuery(className.equals("*") ? null : className, null, List.of(), null, text,
                            List.of(), "name", CANDIDATES + related.size(), null, false)).items().stream()
                            .filter(c -> !related.contains(c.id()))
                            .forEach(found::add);
                } catch (InvalidInputException e) {
                    // A rule naming a class that does not exist (yet) offers nothing.
                }
            }
        }
        model.addAttribute("candidates", found.stream().sorted(Comparator.comparing(ConfigurationItem::name))
                .limit(CANDIDATES).toList());
        model.addAttribute("kindChosen", type != null);
        model.addAttribute("classLabels", detailPage.classLabels());
        return "cmdb/relation-candidates :: candidates";
    }

    private String classLabel(String className) {
        return detailPage.classLabels().getOrDefault(className, className);
    }

    private String nameOrNull(long ciId) {
        try {
            return cis.get(ciId).name();
        } catch (NotFoundException e) {
            return null;
        }
    }

    private String text(String key, Locale locale, Object... args) {
        return messages.getMessage(key, args, locale);
    }
}
