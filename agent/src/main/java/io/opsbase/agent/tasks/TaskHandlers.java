package io.opsbase.agent.tasks;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import io.opsbase.agent.AgentOptions;
import io.opsbase.agent.outbox.Outbox;
import io.opsbase.agent.tasks.files.FileTaskHandler;
import io.opsbase.agent.tasks.files.FileUploadHandler;
import io.opsbase.agent.transport.ServerClient;
import io.opsbase.agent.tasks.script.Accounts;
import io.opsbase.agent.tasks.script.Interpreters;
import io.opsbase.agent.tasks.script.ScriptHandler;
import io.opsbase.protocol.Task;

/** Wires the task types this agent runs to their handlers, and the dispatcher over them. */
public final class TaskHandlers {

    /** Under the state directory: the {@link TaskJournal}. */
    public static final String JOURNAL_DIR = "tasks";
    /** Under the state directory: partial downloads of file tasks, kept to resume. */
    public static final String DOWNLOADS_DIR = "downloads";

    private TaskHandlers() {
    }

    /** The dispatcher with every handler, after reporting the tasks a previous agent process left running. */
    public static TaskDispatcher dispatcher(AgentOptions options, Path stateDir, Outbox outbox, ServerClient client, Clock clock)
            throws IOException {
        var journal = TaskJournal.open(stateDir.resolve(JOURNAL_DIR), clock);
        var script = new ScriptHandler(Interpreters.standard(), Accounts.of(options.taskAccounts()), journal,
                Path.of(System.getProperty("java.io.tmpdir")));
        var files = new FileTaskHandler(client, stateDir.resolve(DOWNLOADS_DIR), Duration.ofSeconds(2));
        var handlers = Map.<String, TaskHandler>of(Task.PING, new PingHandler(), Task.SCRIPT, script, Task.FILE, files, Task.FILE_UPLOAD, new FileUploadHandler(client));
        var dispatcher = new TaskDispatcher(handlers, journal, outbox, clock,
                TaskDispatcher.Settings.standard(options.taskConcurrency()));
        dispatcher.recover();
        return dispatcher;
    }
}
