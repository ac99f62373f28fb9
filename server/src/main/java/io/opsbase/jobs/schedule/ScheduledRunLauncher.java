package io.opsbase.jobs.schedule;

import java.util.Map;

/**
 * Starts a run of a saved job template when a schedule fires. Implemented by the jobs package; the schedule firer
 * only depends on this interface.
 */
public interface ScheduledRunLauncher {

    /** Starts a run and returns its id. */
    long launch(long templateId, Map<String, String> parameters, String scheduleName);
}
