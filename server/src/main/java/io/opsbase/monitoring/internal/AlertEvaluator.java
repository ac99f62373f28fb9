package io.opsbase.monitoring.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import io.opsbase.agents.AgentInfo;
import io.opsbase.agents.AgentService;
import io.opsbase.cmdb.CiService;
import io.opsbase.cmdb.ImpactDirection;
import io.opsbase.cmdb.ImpactService;
import io.opsbase.metrics.MetricStore;
import io.opsbase.metrics.Samples;
import io.opsbase.metrics.SeriesKey;
import io.opsbase.monitoring.Alert;
import io.opsbase.monitoring.AlertFired;
import io.opsbase.monitoring.AlertResolved;
import io.opsbase.monitoring.AlertRule;
import io.opsbase.monitoring.MonitoringProperties;
import io.opsbase.monitoring.SeriesInfo;
import io.opsbase.platform.Page;

/**
 * Evaluates every enabled rule against its series on a schedule, with the injected clock, and
 * moves alerts through their lifecycle:
 *
 * <pre>
 *   (none) --condition holds--> pending --held for `for`--> firing --recovered--> resolved
 *                                  |                                                    
 *                                  +--condition stops before `for`--> dropped
 * </pre>
 *
 * A firing alert resolves only when the value passes the recovery threshold (hysteresis) or, without
 * one, when the condition no longer holds. A series without samples in the window follows the rule's
 * no-data policy. Heartbeat rules watch agents' last-seen times: a bound agent silent longer than the
 * window is a host down. When an alert fires, the evaluator decides whether people are told: not
 * when a silence matches, the CI is in maintenance, the rule and series flap (fired
 * {@code flapFirings} times within {@code flapWindow}), or — for a host down — a host it depends on
 * in the CMDB is down too (the alert names that one as {@code suppressedBy}: one alert for a failed
 * switch, not one per host behind it). Runs on one thread at a time.
 */
@Component
public class AlertEvaluator {

    private static final Logger LOG = LoggerFactory.getLogger(AlertEvaluator.class);

    private final RuleRepository rules;
    private final AlertRepository alerts;
    private final SilenceRepository silences;
    private final SeriesCatalog catalog;
    private final MetricStore store;
    private final AgentService agents;
    private final CiService cis;
    private final ImpactService impact;
    private final ApplicationEventPublisher events;
    private final MonitoringProperties properties;
    private final Clock clock;
    private final io.opsbase.monitoring.TemplateService templates;

    AlertEvaluator(RuleRepository rules, AlertRepository alerts, SilenceRepository silences, SeriesCatalog catalog, MetricStore store,
            AgentService agents, CiService cis, ImpactService impact, ApplicationEventPublisher events, MonitoringProperties properties,
            Clock clock, io.opsbase.monitoring.TemplateService templates) {
        this.templates = templates;
        this.rules = rules;
        this.alerts = alerts;
        this.silences = silences;
        this.catalog = catalog;
        this.store = store;
        this.agents = agents;
        this.cis = cis;
        this.impact = impact;
        this.events = events;
        this.properties = properties;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${opsbase.monitoring.evaluate-every:10s}", initialDelayString = "${opsbase.monitoring.evaluate-every:10s}")
    void scheduled() {
        try {
            evaluate();
        } catch (RuntimeException e) {
            LOG.error("alert evaluation failed; the next round retries", e);
        }
    }

    /** One evaluation round over every enabled rule. */
    public synchronized void evaluate() {
        Instant now = clock.instant();
        bound.clear();
        macros.clear();
        for (AlertRule rule : rules.all()) {
            Map<String, Alert> open = alerts.open(rule.id());
            if (!rule.enabled()) {
                open.values().forEach(a -> close(rule, a, null, now));
                continue;
            }
            if (rule.kind() == AlertRule.Kind.HEARTBEAT) {
                evaluateHeartbeats(rule, open, now);
            } else {
                evaluateSeries(rule, open, now);
            }
        }
    }

    private void evaluateSeries(AlertRule rule, Map<String, Alert> open, Instant now) {
        long to = now.toEpochMilli() + 1;
        long from = now.minus(rule.window()).toEpochMilli();
        for (SeriesInfo series : catalog.named(rule.metric(), rule.ciId())) {
            if (!series.labels().entrySet().containsAll(rule.labels().entrySet()) || !appliesTo(rule, series.ciId())) {
                continue;
            }
            Samples samples = store.find(SeriesKey.of(series.name(), series.labels()))
                    .map(id -> store.raw(id, from, to)).orElse(Samples.EMPTY);
            boolean noData = samples.size() == 0;
            double value = rule.function().apply(samples.timestamps(), samples.values());
            step(forHost(rule, series.ciId()), open.get(series.series()), series.ciId(), series.series(), value, noData, now);
        }
    }

    private void evaluateHeartbeats(AlertRule rule, Map<String, Alert> open, Instant now) {
        String cursor = null;
        do {
            Page<AgentInfo> page = agents.list(cursor, 500);
            for (AgentInfo agent : page.items()) {
                if (agent.ciId() == null || agent.revokedAt() != null || (rule.ciId() != null && !rule.ciId().equals(agent.ciId()))
                        || !appliesTo(rule, agent.ciId())) {
                    continue;
                }
                Instant seen = agent.lastSeenAt() != null ? agent.lastSeenAt() : agent.enrolledAt();
                double silentSeconds = Duration.between(seen, now).toMillis() / 1000.0;
                boolean down = silentSeconds > rule.window().toSeconds();
                Alert current = open.values().stream().filter(a -> a.ciId() == agent.ciId()).findFirst().orElse(null);
                step(rule, current, agent.ciId(), AlertRepository.HEARTBEAT_SERIES, down ? silentSeconds : 0, false, now);
            }
            cursor = page.next();
        } while (cursor != null);
    }

    /**
     * Templates that apply to each CI seen in this round — bound ones and their ancestors: a
     * template's trigger applies only to them, a parent's also to its children's hosts.
     */
    private final Map<Long, java.util.Set<Long>> bound = new java.util.HashMap<>();

    /** Macros per CI and template (null: the CI's bound templates) seen in this round. */
    private final Map<String, Map<String, String>> macros = new java.util.HashMap<>();

    /** The rule with its threshold macros resolved for one CI. */
    private AlertRule forHost(AlertRule rule, long ciId) {
        if (rule.thresholdMacro() == null && rule.recoveryMacro() == null) {
            return rule;
        }
        return rule.resolved(macros.computeIfAbsent(ciId + "/" + rule.templateId(), key -> {
            try {
                return templates.macrosFor(ciId, rule.templateId());
            } catch (RuntimeException e) {
                LOG.warn("could not resolve the macros of CI {} for rule {}; its default thresholds apply: {}", ciId, rule.name(),
                        e.getMessage());
                return Map.of();
            }
        }));
    }

    private boolean appliesTo(AlertRule rule, long ciId) {
        if (rule.templateId() == null) {
            return true;
        }
        return bound.computeIfAbsent(ciId, ci -> {
            try {
                return templates.appliedTemplateIds(ci);
            } catch (RuntimeException e) {
                return java.util.Set.of();
            }
        }).contains(rule.templateId());
    }

    /** One series' step through the lifecycle. */
    private void step(AlertRule rule, Alert current, long ciId, String series, double value, boolean noData, Instant now) {
        boolean holds;
        boolean recovered;
        if (noData && rule.kind() == AlertRule.Kind.METRIC) {
            switch (rule.noData()) {
                case ALERT -> {
                    holds = true;
                    recovered = false;
                }
                case OK -> {
                    holds = false;
                    recovered = true;
                }
                default -> {
                    if (current != null) {
                        alerts.observe(current.id(), null, true, now);
                    }
                    return;
                }
            }
        } else {
            holds = rule.breached(value);
            recovered = rule.recovered(value);
        }
        Double stored = Double.isNaN(value) ? null : value;
        if (current == null) {
            if (holds) {
                long id = alerts.insertPending(rule.id(), ciId, series, stored, noData, now);
                if (rule.forDuration().isZero()) {
                    fire(rule, id, stored, noData, now);
                }
            }
        } else if (current.state() == Alert.State.PENDING) {
            if (!holds) {
                alerts.dropPending(current.id());
            } else if (!now.isBefore(current.startedAt().plus(rule.forDuration()))) {
                fire(rule, current.id(), stored, noData, now);
            } else {
                alerts.observe(current.id(), stored, noData, now);
            }
        } else if (recovered) {
            close(rule, current, stored, now);
        } else {
            alerts.observe(current.id(), stored, noData, now);
        }
    }

    private void fire(AlertRule rule, long id, Double value, boolean noData, Instant now) {
        Alert pending = alerts.find(id).orElseThrow();
        boolean flapping = alerts.firedSince(rule.id(), pending.series(), now.minus(properties.flapWindow())) + 1 >= properties.flapFirings();
        Long suppressedBy = rule.kind() == AlertRule.Kind.HEARTBEAT ? downUpstream(pending.ciId()) : null;
        alerts.fire(id, value, noData, flapping, suppressedBy, now);
        Alert fired = withSilence(alerts.find(id).orElseThrow(), now);
        boolean notify = fired.silencedBy() == null && !flapping && suppressedBy == null && !inMaintenance(fired.ciId());
        LOG.info("alert {} firing: {} on CI {} ({}){}", id, rule.name(), fired.ciId(), fired.series(), notify ? "" : " — not notified");
        events.publishEvent(new AlertFired(fired, rule.expression(), notify));
    }

    private void close(AlertRule rule, Alert current, Double value, Instant now) {
        if (current.state() == Alert.State.PENDING) {
            alerts.dropPending(current.id());
            return;
        }
        alerts.resolve(current.id(), value, now);
        Alert resolved = withSilence(alerts.find(current.id()).orElseThrow(), now);
        boolean notify = resolved.silencedBy() == null && !resolved.flapping() && resolved.suppressedBy() == null
                && !inMaintenance(resolved.ciId());
        LOG.info("alert {} resolved: {} on CI {}", current.id(), rule.name(), resolved.ciId());
        events.publishEvent(new AlertResolved(resolved, rule.expression(), notify));
    }

    /** A firing host-down alert of a CI this one depends on, found up the CMDB graph; null if none. */
    private Long downUpstream(long ciId) {
        Map<Long, Long> down = alerts.firingHostDown();
        if (down.isEmpty()) {
            return null;
        }
        try {
            var graph = impact.analyse(ciId, ImpactDirection.UPSTREAM, properties.suppressionDepth());
            return graph.nodes().stream().map(n -> down.get(n.id())).filter(java.util.Objects::nonNull).findFirst().orElse(null);
        } catch (RuntimeException e) {
            LOG.warn("could not walk the CMDB graph above CI {} for alert suppression: {}", ciId, e.getMessage());
            return null;
        }
    }

    private boolean inMaintenance(long ciId) {
        try {
            return "maintenance".equals(cis.get(ciId).state());
        } catch (RuntimeException e) {
            return false;
        }
    }

    Alert withSilence(Alert alert, Instant now) {
        List<io.opsbase.monitoring.Silence> active = silences.current(now).stream().filter(s -> s.activeAt(now)).toList();
        Map<String, String> labels = alert.matchLabels();
        return alert.withSilence(active.stream().filter(s -> s.matches(labels)).map(io.opsbase.monitoring.Silence::id)
                .findFirst().orElse(null));
    }
}
