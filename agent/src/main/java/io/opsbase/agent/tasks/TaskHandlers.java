package io.opsbase.agent.tasks;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import io.opsbase.agent.AgentOptions;
import io.opsbase.agent.outbox.Outbox;
import io.opsbase.agent.tasks.script.Accounts;
import io.opsbase.agent.tasks.script.Interpreters;
import io.opsbase.agent.tasks.script.ScriptHandler;
import io.opsbase.protocol.Task;

/** Wires the task types this agent runs to their handlers, and the dispatcher over them. */
public final class TaskHandlers {

    /** Under the state directory: the {@link TaskJournal}. */
    public static final String JOURNAL_DIR = "tasks";

    private TaskHandlers() {
    }

    /** The dispatcher with every handler, after reporting the tasks a previous agent process left running. */
    public static TaskDispatcher dispatcher(AgentOptions options, Path stateDir, Outbox outbox, Clock clock) throws IOException {
        var journal = TaskJournal.open(stateDir.resolve(JOURNAL_DIR), clock);
        var script = new ScriptHandler(Interpreters.standard(), Accounts.of(options.taskAccounts()), journal,
                Path.of(System.getProperty("java.io.tmpdir")));
        var dispatcher = new TaskDispatcher(Map.of(Task.PING, new PingHandler(), Task.SCRIPT, script), journal, outbox, clock,
                TaskDispatcher.Settings.standard(options.taskConcurrency()));
        dispatcher.recover();
        return dispatcher;
    }
}
