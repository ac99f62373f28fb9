package io.opsbase.agent.tasks.script;

import java.util.List;

/**
 * The OS accounts tasks may run as, from the agent's {@code --task-accounts} option (by default
 * only the agent's own). A task that names no account runs as the first allowed one. An agent
 * running as root enters another account with {@code runuser -u ACCOUNT --}; an agent running as
 * anyone else can run tasks only as itself and refuses the others, whatever the list says.
 */
public record Accounts(List<String> allowed, String agentAccount, boolean agentIsRoot) {

    public Accounts {
        allowed = List.copyOf(allowed);
        if (allowed.isEmpty()) {
            throw new IllegalArgumentException("at least one account must be allowed for tasks");
        }
    }

    /** The agent's own account, as the JVM knows it. */
    public static Accounts of(List<String> allowed) {
        var me = System.getProperty("user.name");
        return new Accounts(allowed.isEmpty() ? List.of(me) : allowed, me, "root".equals(me));
    }

    /** What a task's {@code account} parameter resolves to: the account, or why it is refused. */
    public sealed interface Decision {
        record Allowed(String account, List<String> prefix) implements Decision {
        }

        record Refused(String reason) implements Decision {
        }
    }

    /** {@code requested} null or blank: the first allowed account. */
    public Decision decide(String requested) {
        var account = requested == null || requested.isBlank() ? allowed.getFirst() : requested.trim();
        if (!allowed.contains(account)) {
            return new Decision.Refused("account " + account + " is not one this agent runs tasks as (allowed: " + String.join(", ", allowed)
                    + "; see the agent's --task-accounts option)");
        }
        if (account.equals(agentAccount)) {
            return new Decision.Allowed(account, List.of());
        }
        if (!agentIsRoot) {
            return new Decision.Refused("the agent runs as " + agentAccount + " and can run tasks only as itself, not as " + account
                    + "; run the agent as root to switch accounts");
        }
        return new Decision.Allowed(account, List.of("runuser", "-u", account, "--"));
    }
}
