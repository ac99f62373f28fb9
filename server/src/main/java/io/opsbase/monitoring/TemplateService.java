package io.opsbase.monitoring;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.opsbase.cmdb.CiService;
import io.opsbase.cmdb.ConfigurationItem;
import io.opsbase.monitoring.internal.TemplateRepository;
import io.opsbase.platform.ConflictException;
import io.opsbase.platform.InvalidInputException;
import io.opsbase.platform.InvalidInputException.FieldViolation;
import io.opsbase.platform.NotFoundException;
import io.opsbase.protocol.MonitoringItem;

/**
 * Monitoring templates: validated and stored (audited), linked to hosts, and composed into what a
 * host's agent runs — the items of every template bound to the CI (by query or link), each with its
 * parents' items underneath (a child's item replaces its parent's of the same key), with
 * {@code {$MACRO}}s filled from the host first, then the template chain. When two bound templates
 * name the same item key, the one with the lower id wins.
 */
@Service
public class TemplateService {

    private static final Pattern MACRO = Pattern.compile("\\{\\$[A-Z0-9_.]+}");
    private static final Pattern KEY = Pattern.compile("[a-zA-Z0-9_.:-]{1,200}");
    private static final Set<String> COLLECTORS = Set.of("cpu", "system", "memory", "filesystem", "disk", "network", "tcp", "agent");
    private static final Set<String> TYPES = Set.of(MonitoringItem.COLLECTOR, MonitoringItem.CHECK, MonitoringItem.PROMETHEUS,
            MonitoringItem.SCRIPT);

    private final TemplateRepository templates;
    private final CiService cis;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    TemplateService(TemplateRepository templates, CiService cis, ApplicationEventPublisher events, Clock clock) {
        this.templates = templates;
        this.cis = cis;
        this.events = events;
        this.clock = clock;
    }

    @Transactional(readOnly = true)
    public List<MonitoringTemplate> list() {
        return templates.all();
    }

    @Transactional(readOnly = true)
    public MonitoringTemplate get(long id) {
        return templates.find(id).orElseThrow(() -> new NotFoundException("Template", id));
    }

    @Transactional
    public MonitoringTemplate create(TemplateInput input) {
        long id = templates.insert(validated(0, input), clock.instant());
        events.publishEvent(new AlertActionTaken("template.created", "template", id, input.name()));
        return get(id);
    }

    @Transactional
    public MonitoringTemplate update(long id, TemplateInput input) {
        get(id);
        templates.update(id, validated(id, input), clock.instant());
        events.publishEvent(new AlertActionTaken("template.updated", "template", id, input.name()));
        return get(id);
    }

    /**
     * Creates ({@code id} null) or updates a template and makes its explicit host links exactly
     * {@code hosts}, in one transaction: a host that is not a CI is a field error on {@code hosts}
     * beside the template's own, and nothing is saved.
     */
    @Transactional
    public MonitoringTemplate save(Long id, TemplateInput input, List<Long> hosts) {
        List<FieldViolation> hostErrors = new ArrayList<>();
        for (long ci : hosts) {
            try {
                cis.get(ci);
            } catch (NotFoundException e) {
                hostErrors.add(new FieldViolation("hosts", "CI " + ci + " does not exist"));
            }
        }
        MonitoringTemplate saved;
        try {
            saved = id == null ? create(input) : update(id, input);
        } catch (InvalidInputException e) {
            List<FieldViolation> all = new ArrayList<>(e.errors());
            all.addAll(hostErrors);
            throw new InvalidInputException(all);
        }
        if (!hostErrors.isEmpty()) {
            throw new InvalidInputException(hostErrors);
        }
        Set<Long> wanted = new HashSet<>(hosts);
        for (long ci : templates.linkedHosts(saved.id())) {
            if (!wanted.remove(ci)) {
                unlink(saved.id(), ci);
            }
        }
        for (long ci : hosts) {
            if (wanted.contains(ci)) {
                link(saved.id(), ci);
            }
        }
        return saved;
    }

    /** The CIs linked to the template explicitly. */
    @Transactional(readOnly = true)
    public List<Long> hostsOf(long templateId) {
        return templates.linkedHosts(templateId);
    }

    @Transactional
    public void delete(long id) {
        MonitoringTemplate t = get(id);
        if (t.builtin()) {
            throw new ConflictException("builtin-template", "The built-in template " + t.name() + " cannot be deleted; unbind it instead");
        }
        templates.delete(id);
        events.publishEvent(new AlertActionTaken("template.deleted", "template", id, t.name()));
    }

    @Transactional
    public void link(long templateId, long ciId) {
        get(templateId);
        cis.get(ciId);
        templates.link(templateId, ciId);
        events.publishEvent(new AlertActionTaken("template.linked", "template", templateId, "CI " + ciId));
    }

    @Transactional
    public void unlink(long templateId, long ciId) {
        if (!templates.unlink(templateId, ciId)) {
            throw new NotFoundException("Link of template " + templateId + " to CI", ciId);
        }
        events.publishEvent(new AlertActionTaken("template.unlinked", "template", templateId, "CI " + ciId));
    }

    @Transactional(readOnly = true)
    public Map<String, String> hostMacros(long ciId) {
        cis.get(ciId);
        return templates.macros("ci", ciId);
    }

    @Transactional
    public Map<String, String> replaceHostMacros(long ciId, Map<String, String> macros) {
        cis.get(ciId);
        List<FieldViolation> errors = new ArrayList<>();
        checkMacros("macros", macros, errors);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        templates.replaceMacros("ci", ciId, macros);
        events.publishEvent(new AlertActionTaken("macros.replaced", "ci", ciId, String.join(", ", macros.keySet())));
        return templates.macros("ci", ciId);
    }

    /** The templates bound to a CI, by query or by link, in id order. */
    @Transactional(readOnly = true)
    public List<MonitoringTemplate> templatesOf(long ciId) {
        return templatesOf(ciId, templates.all());
    }

    private List<MonitoringTemplate> templatesOf(long ciId, List<MonitoringTemplate> all) {
        ConfigurationItem ci = cis.get(ciId);
        Set<Long> linked = new HashSet<>(templates.linkedTemplates(ciId));
        return all.stream().filter(t -> linked.contains(t.id()) || t.matches(ci))
                .sorted(java.util.Comparator.comparingLong(MonitoringTemplate::id)).toList();
    }

    /**
     * The ids of the templates that apply to a CI: those bound to it (by query or link) and every
     * ancestor of theirs, since a child template inherits its parent's items and triggers.
     */
    @Transactional(readOnly = true)
    public Set<Long> appliedTemplateIds(long ciId) {
        Map<Long, MonitoringTemplate> all = byId(templates.all());
        Set<Long> out = new HashSet<>();
        for (MonitoringTemplate t : templatesOf(ciId, List.copyOf(all.values()))) {
            chain(t, all).forEach(level -> out.add(level.id()));
        }
        return out;
    }

    /**
     * The macros a trigger sees on a CI: the host's own first, then — for a template's trigger — that
     * template's chain (the template before its parents), otherwise the chains of the templates bound
     * to the CI (the lower template id first, as for items).
     */
    @Transactional(readOnly = true)
    public Map<String, String> macrosFor(long ciId, Long templateId) {
        Map<Long, MonitoringTemplate> all = byId(templates.all());
        Map<String, String> macros = new LinkedHashMap<>();
        List<MonitoringTemplate> sources = templateId != null
                ? (all.containsKey(templateId) ? List.of(all.get(templateId)) : List.of())
                : templatesOf(ciId, List.copyOf(all.values())).reversed();
        for (MonitoringTemplate t : sources) {                // the last one put wins: the lowest id
            chain(t, all).forEach(level -> macros.putAll(level.macros()));
        }
        macros.putAll(templates.macros("ci", ciId));
        return macros;
    }

    private static Map<Long, MonitoringTemplate> byId(List<MonitoringTemplate> loaded) {
        Map<Long, MonitoringTemplate> all = new LinkedHashMap<>();
        loaded.forEach(t -> all.put(t.id(), t));
        return all;
    }

    /** What the CI's agent runs: the composed items of its templates, macros filled in. */
    @Transactional(readOnly = true)
    public List<MonitoringItem> effectiveItems(long ciId) {
        List<MonitoringTemplate> loaded = templates.all();
        Map<Long, MonitoringTemplate> all = byId(loaded);
        Map<String, String> hostMacros = templates.macros("ci", ciId);
        Map<String, MonitoringItem> items = new LinkedHashMap<>();
        for (MonitoringTemplate t : templatesOf(ciId, loaded)) {
            List<MonitoringTemplate> chain = chain(t, all);
            Map<String, MonitoringItem> composed = new LinkedHashMap<>();
            Map<String, String> macros = new LinkedHashMap<>();
            for (MonitoringTemplate level : chain) {          // root ancestor first, the template itself last
                level.items().forEach(i -> composed.put(i.key(), i));
                macros.putAll(level.macros());
            }
            macros.putAll(hostMacros);
            composed.values().forEach(i -> items.putIfAbsent(i.key(), withMacros(i, macros)));
        }
        return List.copyOf(items.values());
    }

    private static List<MonitoringTemplate> chain(MonitoringTemplate t, Map<Long, MonitoringTemplate> all) {
        List<MonitoringTemplate> chain = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        for (MonitoringTemplate at = t; at != null && seen.add(at.id()); at = at.parentId() == null ? null : all.get(at.parentId())) {
            chain.addFirst(at);
        }
        return chain;
    }

    private static MonitoringItem withMacros(MonitoringItem i, Map<String, String> macros) {
        return new MonitoringItem(i.key(), i.type(), fill(i.target(), macros), i.arguments().stream().map(a -> fill(a, macros)).toList(),
                i.interval(), i.timeout(), i.maxOutputBytes(), i.account() == null ? null : fill(i.account(), macros));
    }

    /** Replaces every known {@code {$NAME}}; an unknown one stays as written, so the item's failure shows it. */
    static String fill(String text, Map<String, String> macros) {
        if (text == null || text.indexOf("{$") < 0) {
            return text;
        }
        Matcher m = MACRO.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(macros.getOrDefault(m.group(), m.group())));
        }
        m.appendTail(out);
        return out.toString();
    }

    private MonitoringTemplate validated(long id, TemplateInput in) {
        List<FieldViolation> errors = new ArrayList<>();
        String name = in.name() == null ? "" : in.name().strip();
        if (name.isEmpty() || name.length() > 200) {
            errors.add(new FieldViolation("name", "is required (at most 200 characters)"));
        } else if (templates.nameTaken(name, id)) {
            throw new ConflictException("duplicate-name", "A template named " + name + " exists already");
        }
        if (in.parentId() != null) {
            Map<Long, MonitoringTemplate> all = new LinkedHashMap<>();
            templates.all().forEach(t -> all.put(t.id(), t));
            Long at = in.parentId();
            Set<Long> seen = new HashSet<>();
            if (!all.containsKey(at)) {
                errors.add(new FieldViolation("parentId", "template " + at + " does not exist"));
            }
            while (at != null && all.containsKey(at) && seen.add(at)) {
                if (at == id) {
                    errors.add(new FieldViolation("parentId", "would make the template its own ancestor"));
                    break;
                }
                at = all.get(at).parentId();
            }
        }
        List<MonitoringItem> items = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        List<TemplateInput.Item> given = in.items() == null ? List.of() : in.items();
        for (int n = 0; n < given.size(); n++) {
            TemplateInput.Item i = given.get(n);
            String at = "items[" + n + "]";
            if (i.key() == null || !KEY.matcher(i.key()).matches() || !keys.add(i.key())) {
                errors.add(new FieldViolation(at + ".key", "must be a unique key of letters, digits and _ . : -"));
                continue;
            }
            String type = i.type() == null ? "" : i.type();
            if (!TYPES.contains(type)) {
                errors.add(new FieldViolation(at + ".type", "must be collector, check, prometheus or script"));
                continue;
            }
            String target = i.target() == null ? "" : i.target().strip();
            if (type.equals(MonitoringItem.COLLECTOR) && !COLLECTORS.contains(target)) {
                errors.add(new FieldViolation(at + ".target", "must be a built-in collector: " + String.join(", ", new java.util.TreeSet<>(COLLECTORS))));
            } else if (type.equals(MonitoringItem.PROMETHEUS) && !(target.startsWith("http://") || target.startsWith("https://"))) {
                errors.add(new FieldViolation(at + ".target", "must be the http(s) URL to scrape"));
            } else if ((type.equals(MonitoringItem.CHECK) || type.equals(MonitoringItem.SCRIPT)) && !target.startsWith("/")) {
                errors.add(new FieldViolation(at + ".target", "must be the program's absolute path"));
            }
            Duration interval = i.interval() == null ? Duration.ofMinutes(1) : Durations.parse(i.interval());
            if (interval == null || interval.toSeconds() < 5 || interval.compareTo(Duration.ofDays(1)) > 0) {
                errors.add(new FieldViolation(at + ".interval", "must be between 5s and 1d"));
            }
            Duration timeout = i.timeout() == null ? Duration.ofSeconds(10) : Durations.parse(i.timeout());
            if (timeout == null || timeout.isZero() || timeout.compareTo(Duration.ofMinutes(5)) > 0) {
                errors.add(new FieldViolation(at + ".timeout", "must be between 1s and 5m"));
            }
            int maxOutput = i.maxOutputBytes() == null ? 0 : i.maxOutputBytes();
            if (maxOutput < 0 || maxOutput > 64 << 20) {
                errors.add(new FieldViolation(at + ".maxOutputBytes", "must be between 0 (the default, 1 MiB) and 64 MiB"));
            }
            if (errors.isEmpty()) {
                items.add(new MonitoringItem(i.key(), type, target, i.arguments(), interval, timeout, maxOutput,
                        i.account() == null || i.account().isBlank() ? null : i.account().strip()));
            }
        }
        Map<String, String> macros = in.macros() == null ? Map.of() : in.macros();
        checkMacros("macros", macros, errors);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new MonitoringTemplate(id, name, in.description(), in.parentId(), in.bindClasses() == null ? List.of() : in.bindClasses(),
                in.bindAttributes() == null ? Map.of() : in.bindAttributes(), in.bindTags() == null ? List.of() : in.bindTags(), false,
                items, macros, clock.instant());
    }

    private static void checkMacros(String field, Map<String, String> macros, List<FieldViolation> errors) {
        macros.forEach((k, v) -> {
            if (!MACRO.matcher(k).matches() || v == null || v.length() > 2000) {
                errors.add(new FieldViolation(field + "." + k, "must be named like {$DISK_WARN} (capitals, digits, _ and .) with a value"));
            }
        });
    }
}
