package io.opsbase.jobs.policy;

import java.util.List;

/** A script about to run (or being tried out): its language, its text, where it would run and who asks. */
public record PolicyRequest(String language, String script, List<Long> targetCiIds, String actor) {

    public PolicyRequest {
        targetCiIds = targetCiIds == null ? List.of() : List.copyOf(targetCiIds);
    }
}
