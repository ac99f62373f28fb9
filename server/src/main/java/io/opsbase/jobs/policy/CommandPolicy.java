package io.opsbase.jobs.policy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import io.opsbase.cmdb.CiService;
import io.opsbase.cmdb.ConfigurationItem;

/**
 * The dangerous-command check a job passes before it runs: every enabled rule whose language covers the script
 * and whose CI condition (if any) holds on at least one target is searched for in the normalised commands; the
 * decision is the strictest verdict among the matches, {@code ALLOW} when none match.
 *
 * <p>Fail closed: a script larger than {@link #MAX_SCRIPT_CHARS}, or a rule whose search runs out of its
 * {@link BoundedMatch work budget}, counts as a match (the rule's own verdict, or approval for size), so a hostile
 * input can neither slip past nor stall the check. A target CI that does not exist satisfies no condition.
 * Thread-safe; compiled patterns are cached by their text.
 */
@Service
public class CommandPolicy {

    /** Larger scripts are not inspected: they need an approval. */
    public static final int MAX_SCRIPT_CHARS = 1 << 20;

    private final PolicyRuleRepository rules;
    private final CiService cis;
    private final Map<String, Pattern> compiled = new ConcurrentHashMap<>();

    private final TransactionTemplate lookup;

    CommandPolicy(PolicyRuleRepository rules, CiService cis, PlatformTransactionManager transactions) {
        this.rules = rules;
        this.cis = cis;
        // Target CIs are read in a savepoint of the caller's transaction (a job being created), read-only, so a
        // failure there leaves the caller's transaction usable instead of marked rollback-only.
        this.lookup = new TransactionTemplate(transactions);
        this.lookup.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
        this.lookup.setReadOnly(true);
    }

    /**
     * Checks a script; {@code language} is bash, sh, python or powershell (null means bash), anything else is an
     * {@link IllegalArgumentException}. Safe inside the caller's transaction: an unknown target CI does not mark it
     * rollback-only.
     */
    public PolicyDecision evaluate(PolicyRequest r) {
        String script = r.script() == null ? "" : r.script();
        ScriptLanguage language = ScriptLanguage.of(r.language() == null ? "bash" : r.language());
        if (script.length() > MAX_SCRIPT_CHARS) {
            return new PolicyDecision(Verdict.REQUIRE_APPROVAL, List.of(new PolicyMatch(0, "Script too large to inspect",
                    Verdict.REQUIRE_APPROVAL, script.length() + " characters > " + MAX_SCRIPT_CHARS)));
        }
        return evaluate(rules.enabled(), language, script, targets(r.targetCiIds()));
    }

    /** The decision of {@code candidates} on a script. */
    PolicyDecision evaluate(List<PolicyRule> candidates, ScriptLanguage language, String script, List<ConfigurationItem> targets) {
        ScriptNormaliser.Normalised normalised = ScriptNormaliser.normalise(language, script);
        Verdict verdict = Verdict.ALLOW;
        List<PolicyMatch> matches = new ArrayList<>();
        for (PolicyRule rule : candidates) {
            if (!appliesTo(rule, targets)) {
                continue;
            }
            PolicyMatch match = firstMatch(rule, language, normalised);
            if (match != null) {
                matches.add(match);
                verdict = verdict.max(match.verdict());
            }
        }
        return new PolicyDecision(verdict, matches);
    }

    private PolicyMatch firstMatch(PolicyRule rule, ScriptLanguage language, ScriptNormaliser.Normalised normalised) {
        Pattern pattern = pattern(rule.pattern());
        List<String> texts = new ArrayList<>();
        for (ScriptNormaliser.Command command : normalised.commands()) {
            if (rule.language().covers(command.dialect())) {
                texts.add(command.text());
            }
        }
        if (rule.language().covers(language)) {
            texts.add(normalised.whole());
        }
        for (String text : new LinkedHashSet<>(texts)) {
            BoundedMatch.Result result = BoundedMatch.find(pattern, text);
            if (result.found()) {
                return new PolicyMatch(rule.id(), rule.name(), rule.verdict(), abbreviate(result.matched()));
            }
            if (result.exhausted()) {
                return new PolicyMatch(rule.id(), rule.name(), rule.verdict(),
                        "(pattern gave up on: " + abbreviate(text) + ")");
            }
        }
        return null;
    }

    private static boolean appliesTo(PolicyRule rule, List<ConfigurationItem> targets) {
        if (!rule.hasCiCondition()) {
            return true;
        }
        return targets.stream().anyMatch(ci -> ciHas(ci, rule.ciField(), rule.ciValue()));
    }

    static boolean ciHas(ConfigurationItem ci, String field, String value) {
        return switch (field.toLowerCase(Locale.ROOT)) {
            case "tag" -> ci.tags().stream().anyMatch(value::equalsIgnoreCase);
            case "state" -> value.equalsIgnoreCase(ci.state());
            case "class" -> value.equalsIgnoreCase(ci.className());
            case "owner_team" -> value.equalsIgnoreCase(ci.ownerTeam());
            default -> {
                Object v = ci.attributes().get(field);
                yield v != null && value.equalsIgnoreCase(String.valueOf(v));
            }
        };
    }

    /** The target CIs, loaded together; an unknown target satisfies no condition (the job rejects it when resolving targets). */
    private List<ConfigurationItem> targets(List<Long> ids) {
        if (ids == null || ids.isEmpty()) {
            return List.of();
        }
        List<Long> unique = new ArrayList<>(new java.util.LinkedHashSet<>(ids.stream().filter(java.util.Objects::nonNull).toList()));
        return lookup.execute(status -> cis.getAll(unique));
    }

    /** Compiles a rule's pattern; {@link PatternSyntaxException} for a bad one. */
    Pattern pattern(String regex) {
        Pattern p = compiled.get(regex);
        if (p == null) {
            p = Pattern.compile(regex);
            if (compiled.size() > 10_000) {
                compiled.clear();
            }
            compiled.put(regex, p);
        }
        return p;
    }

    private static String abbreviate(String s) {
        return s.length() <= 500 ? s : s.substring(0, 499) + "…";
    }
}
