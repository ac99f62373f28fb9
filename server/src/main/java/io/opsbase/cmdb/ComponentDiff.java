package io.opsbase.cmdb;

import java.util.List;

/** What {@link CiComponents#replace} did, by component identity. */
public record ComponentDiff(List<String> added, List<String> removed, List<String> changed) {

    public boolean isEmpty() {
        return added.isEmpty() && removed.isEmpty() && changed.isEmpty();
    }
}
