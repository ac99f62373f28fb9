package io.opsbase.agents;

import java.net.URI;
import java.util.Map;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.opsbase.platform.Page;

/** The agent registry for users: list, inspect, revoke, and ping through the long-poll channel. */
@RestController
@RequestMapping("/api/v1/agents")
class AgentApiController {

    private final AgentService agents;

    AgentApiController(AgentService agents) {
        this.agents = agents;
    }

    @GetMapping
    Page<AgentInfo> list(@RequestParam(required = false) String cursor, @RequestParam(defaultValue = "100") int limit) {
        return agents.list(cursor, limit);
    }

    @GetMapping("/{id}")
    AgentInfo get(@PathVariable long id) {
        return agents.get(id);
    }

    @PostMapping("/{id}/revoke")
    AgentInfo revoke(@PathVariable long id) {
        return agents.revoke(id);
    }

    /** Sends a no-op ping task; its answer ({@code pong}) shows in the task once the agent replies. */
    @PostMapping("/{id}/ping")
    ResponseEntity<AgentTask> ping(@PathVariable long id) {
        AgentTask task = agents.send(id, io.opsbase.protocol.Task.PING, Map.of());
        return ResponseEntity.created(URI.create("/api/v1/agents/" + id + "/tasks/" + task.id())).body(task);
    }

    @GetMapping("/{id}/tasks/{taskId}")
    AgentTask task(@PathVariable long id, @PathVariable long taskId) {
        return agents.task(id, taskId);
    }
}
