package io.opsbase.cmdb;

import java.util.List;

/**
 * A kind of relation between two CIs. {@code label} reads from the source ("web-01 runs on
 * host-7"), {@code inverseLabel} from the target ("host-7 runs web-01"). {@code rules} are the
 * allowed (source class, target class) pairs; {@code *} matches any class.
 */
public record RelationType(String name, String label, String inverseLabel, String description,
        ImpactFlow impactFlow, List<RelationRule> rules) {

    /** One allowed class pair. */
    public record RelationRule(String sourceClass, String targetClass) {

        boolean allows(String source, String target) {
            return (sourceClass.equals("*") || sourceClass.equals(source))
                    && (targetClass.equals("*") || targetClass.equals(target));
        }
    }

    public boolean allows(String sourceClass, String targetClass) {
        return rules.stream().anyMatch(r -> r.allows(sourceClass, targetClass));
    }
}
