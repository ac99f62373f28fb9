package io.opsbase.jobs;

import java.util.Map;

import org.springframework.stereotype.Component;

import io.opsbase.jobs.schedule.ScheduledRunLauncher;

/**
 * Starts a template's run when a schedule fires: as the {@code system} actor, on the template's
 * default targets, through the same checks as any run (parameters, dangerous-command policy — a
 * run the policy holds waits for approval like any other).
 */
@Component
class ScheduledTemplateLauncher implements ScheduledRunLauncher {

    static final String ACTOR = "system";

    private final RunLauncher launcher;

    ScheduledTemplateLauncher(RunLauncher launcher) {
        this.launcher = launcher;
    }

    @Override
    public long launch(long templateId, Map<String, String> parameters, String scheduleName) {
        return launcher.launch(new RunRequest(null, null, null, null, null, templateId, null, parameters, null, null), ACTOR);
    }
}
