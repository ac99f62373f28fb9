package io.opsbase.agents;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import io.opsbase.agents.internal.AgentChannel;
import io.opsbase.agents.internal.AgentCredentialCache;
import io.opsbase.agents.internal.AgentRepository;
import io.opsbase.agents.internal.ServerKeys;
import io.opsbase.agents.internal.TaskRepository;
import io.opsbase.platform.BadRequestException;
import io.opsbase.platform.NotFoundException;
import io.opsbase.platform.Page;
import io.opsbase.platform.SecretCipher;
import io.opsbase.protocol.EnrollRequest;
import io.opsbase.protocol.EnrollResponse;
import io.opsbase.protocol.ProtocolJson;
import io.opsbase.protocol.ProtocolVersion;
import io.opsbase.protocol.SignedTask;
import io.opsbase.protocol.Task;
import io.opsbase.protocol.signing.TaskSigner;

/**
 * The agents feature's face: enrollment, the registry (online/offline, last seen, version,
 * address), revocation, and the task channel (signed tasks waiting for an agent's long-poll).
 */
@Service
public class AgentService {

    /** Tasks expire if no agent took them within this time; the agent refuses expired tasks. */
    static final Duration TASK_LIFETIME = Duration.ofMinutes(10);

    private final AgentRepository agents;
    private final TaskRepository tasks;
    private final EnrollmentTokenService enrollmentTokens;
    private final SecretCipher cipher;
    private final ServerKeys keys;
    private final AgentChannel channel;
    private final AgentCredentialCache credentials;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    static final Duration BOUND_CI_TTL = Duration.ofSeconds(60);

    private record BoundCi(long ciId, Instant loadedAt) {
    }

    private final java.util.concurrent.ConcurrentHashMap<Long, BoundCi> boundCis = new java.util.concurrent.ConcurrentHashMap<>();

    AgentService(AgentRepository agents, TaskRepository tasks, EnrollmentTokenService enrollmentTokens,
            SecretCipher cipher, ServerKeys keys, AgentChannel channel, AgentCredentialCache credentials,
            ApplicationEventPublisher events, Clock clock) {
        this.agents = agents;
        this.tasks = tasks;
        this.enrollmentTokens = enrollmentTokens;
        this.cipher = cipher;
        this.keys = keys;
        this.channel = channel;
        this.credentials = credentials;
        this.events = events;
        this.clock = clock;
    }

    /**
     * Enrolls a host: consumes one use of the token and issues a new agent id and secret. Empty when
     * the token is not usable. The secret is sealed at rest and returned only here.
     */
    @Transactional
    public Optional<EnrollResponse> enroll(EnrollRequest request, String address) {
        if (!request.protocolVersion().isCompatibleWith(ProtocolVersion.CURRENT)) {
            throw new BadRequestException("protocol version " + request.protocolVersion()
                    + " is not supported; this server speaks " + ProtocolVersion.CURRENT);
        }
        var token = enrollmentTokens.consume(request.enrollToken());
        if (token.isEmpty()) {
            return Optional.empty();
        }
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String secretText = Base64.getEncoder().encodeToString(secret);
        var fp = request.fingerprint();
        long id = agents.insert(cipher.encrypt(secretText), fp.hostname(),
                ProtocolJson.mapper().writeValueAsString(fp), request.agentVersion(), address,
                token.get().id(), token.get().autoApprove(), clock.instant());
        String agentId = Long.toString(id);
        events.publishEvent(new AgentEvent("agent.enrolled", "agent", agentId,
                "host " + fp.hostname() + " from " + address + " with enrollment token " + token.get().id(),
                "agent:" + agentId));
        events.publishEvent(new AgentEnrolled(id, fp, token.get().autoApprove()));
        return Optional.of(new EnrollResponse(agentId, secretText, keys.publicKeyBase64(),
                EnrollResponse.Approval.PENDING, ProtocolVersion.CURRENT));
    }

    @Transactional(readOnly = true)
    public Page<AgentInfo> list(String cursor, int limit) {
        Long after = null;
        if (cursor != null) {
            try {
                after = Long.parseLong(cursor);
            } catch (NumberFormatException e) {
                throw new BadRequestException("cursor is not one this API issued");
            }
        }
        int size = Math.clamp(limit <= 0 ? 100 : limit, 1, 1000);
        List<AgentInfo> rows = new ArrayList<>(agents.list(after, size + 1, clock.instant()));
        String next = null;
        if (rows.size() > size) {
            rows = rows.subList(0, size);
            next = Long.toString(rows.getLast().id());
        }
        return new Page<>(List.copyOf(rows), next, agents.count());
    }

    @Transactional(readOnly = true)
    public AgentInfo get(long id) {
        return agents.find(id, clock.instant()).orElseThrow(() -> new NotFoundException("Agent", id));
    }

    /** The agents with these ids by id, in one query; ids of no agent are absent from the map. */
    @Transactional(readOnly = true)
    public Map<Long, AgentInfo> find(Collection<Long> ids) {
        Map<Long, AgentInfo> byId = new HashMap<>();
        agents.findAll(ids, clock.instant()).forEach(a -> byId.put(a.id(), a));
        return byId;
    }

    /** The live agent bound to each of these CIs, by CI id; CIs without one are absent. */
    @Transactional(readOnly = true)
    public Map<Long, AgentInfo> boundTo(Collection<Long> ciIds) {
        Map<Long, AgentInfo> byCi = new HashMap<>();
        for (List<Long> slice : slices(List.copyOf(ciIds))) {
            agents.findBoundTo(slice, clock.instant()).forEach(a -> byCi.put(a.ciId(), a));
        }
        return byCi;
    }

    private static List<List<Long>> slices(List<Long> ids) {
        List<List<Long>> out = new ArrayList<>();
        for (int i = 0; i < ids.size(); i += 1000) {
            out.add(ids.subList(i, Math.min(ids.size(), i + 1000)));
        }
        return out;
    }

    @Transactional
    public AgentInfo revoke(long id) {
        get(id);
        if (agents.revoke(id, clock.instant())) {
            events.publishEvent(new AgentEvent("agent.revoked", "agent", Long.toString(id), "revoked", null));
            // Once committed, this node's next request of the agent reads the revocation; other nodes poll for it.
            afterCommit(() -> credentials.invalidate(id));
        }
        return get(id);
    }

    /** Binds an approved agent to its CI (the discovery feature calls this). */
    @Transactional
    public void bind(long agentId, long ciId) {
        get(agentId);
        agents.bindCi(agentId, ciId);
        afterCommit(() -> boundCis.remove(agentId));
    }

    /**
     * The CI the agent reports for, empty while it has none: asked for every metrics batch, so
     * answered from memory once known. A binding made on this node replaces the entry at once;
     * one made on another node is seen within {@link #BOUND_CI_TTL}.
     */
    public Optional<Long> boundCi(long agentId) {
        Instant now = clock.instant();
        BoundCi cached = boundCis.get(agentId);
        if (cached != null && cached.loadedAt().plus(BOUND_CI_TTL).isAfter(now)) {
            return Optional.of(cached.ciId());
        }
        Optional<Long> ci = agents.find(agentId, now).map(AgentInfo::ciId);
        ci.ifPresent(id -> boundCis.put(agentId, new BoundCi(id, now)));
        return ci;
    }

    /** Queues a task signed with the server key, and wakes the agent's long-poll once it commits. */
    @Transactional
    public AgentTask send(long agentId, String type, Map<String, String> parameters) {
        return send(agentId, type, parameters, false);
    }

    /**
     * As {@link #send(long, String, Map)}; a {@code sensitive} task (its parameters hold a secret)
     * is stored sealed with {@link SecretCipher}, so the queued row never shows the secret.
     */
    @Transactional
    public AgentTask send(long agentId, String type, Map<String, String> parameters, boolean sensitive) {
        AgentInfo agent = get(agentId);
        if (agent.revokedAt() != null) {
            throw new io.opsbase.platform.ConflictException("agent-revoked", "agent " + agentId + " is revoked");
        }
        Instant now = clock.instant();
        long taskId = tasks.reserveId(agentId, type, now);
        Task task = new Task(Long.toString(taskId), Long.toString(agentId), type, parameters, now, now.plus(TASK_LIFETIME));
        SignedTask signed = new TaskSigner(keys.privateKey()).sign(task);
        String payload = ProtocolJson.mapper().writeValueAsString(signed);
        tasks.store(taskId, sensitive ? cipher.encrypt(payload) : payload, signed.signature());
        events.publishEvent(new AgentEvent("agent.task-sent", "agent", Long.toString(agentId),
                "task " + taskId + " (" + type + ")", null));
        afterCommit(() -> channel.wake(agentId));
        return tasks.find(agentId, taskId).orElseThrow();
    }

    /**
     * A queued task (the JSON of its {@link SignedTask}) in the form an agent of protocol 1.0 can
     * check: a task signed with a batch is signed again alone; one signed alone is returned as it is.
     * Such agents know only that form and would refuse the batch form (running nothing), so a fleet
     * keeps running jobs while its agents are upgraded after the server.
     */
    public String signedAlone(String signedTaskJson) {
        SignedTask stored = ProtocolJson.read(signedTaskJson.getBytes(java.nio.charset.StandardCharsets.UTF_8), SignedTask.class);
        if (stored.batch() == null) {
            return signedTaskJson;
        }
        return ProtocolJson.mapper().writeValueAsString(new TaskSigner(keys.privateKey()).sign(stored.task()));
    }

    /** One task of {@link #sendAll}: the agent and the task's parameters. */
    public record TaskOrder(long agentId, Map<String, String> parameters) {
    }

    /**
     * Queues one task of {@code type} per order, as {@link #send(long, String, Map, boolean)} does
     * for one — signed with the server key, sealed when {@code sensitive} — but in JDBC
     * batches, with one audit record for all of them ({@code summary} says what they are for; each
     * task stays in the task table), and once it commits each agent's waiting long-poll answered
     * with its task from memory ({@link AgentChannel#deliver}). Revoked or
     * unknown agents are refused as a whole (409/404) before anything is stored. The orders are
     * signed as one batch ({@link TaskSigner#signAll}: one signature over a Merkle tree's root, each
     * task carrying its audit path), even a batch of one; {@link #send} signs a task alone. Returns
     * the task ids in the orders' order.
     */
    @Transactional
    public List<Long> sendAll(String type, List<TaskOrder> orders, boolean sensitive, String summary) {
        if (orders.isEmpty()) {
            return List.of();
        }
        List<Long> agentIds = orders.stream().map(TaskOrder::agentId).toList();
        Map<Long, AgentInfo> known = new HashMap<>();
        for (List<Long> slice : slices(agentIds)) {
            known.putAll(find(slice));
        }
        for (long id : agentIds) {
            AgentInfo agent = known.get(id);
            if (agent == null) {
                throw new NotFoundException("Agent", id);
            }
            if (agent.revokedAt() != null) {
                throw new io.opsbase.platform.ConflictException("agent-revoked", "agent " + id + " is revoked");
            }
        }
        Instant now = clock.instant();
        List<Long> taskIds = tasks.reserveIds(agentIds, type, now);
        List<Task> batch = new ArrayList<>(orders.size());
        for (int i = 0; i < orders.size(); i++) {
            batch.add(new Task(Long.toString(taskIds.get(i)), Long.toString(agentIds.get(i)), type, orders.get(i).parameters(),
                    now, now.plus(TASK_LIFETIME)));
        }
        // One Ed25519 signature for the whole batch (a Merkle tree over the tasks, each carrying its audit path).
        List<SignedTask> signedBatch = new TaskSigner(keys.privateKey()).signAll(batch);
        List<String> payloads = new ArrayList<>(orders.size());
        List<String> signatures = new ArrayList<>(orders.size());
        List<String> plain = new ArrayList<>(orders.size());
        for (SignedTask signed : signedBatch) {
            String payload = ProtocolJson.mapper().writeValueAsString(signed);
            plain.add(payload);
            payloads.add(sensitive ? cipher.encrypt(payload) : payload);
            signatures.add(signed.signature());
        }
        tasks.storeAll(taskIds, payloads, signatures);
        events.publishEvent(new AgentEvent("agent.tasks-sent", "agent", null, orders.size() + " tasks (" + type + ") " + summary
                + ", task ids " + taskIds.getFirst() + "–" + taskIds.getLast(), null));
        // Once committed, each waiting poll is handed its task as stored (no read back); the others find it on their next poll.
        afterCommit(() -> {
            for (int i = 0; i < agentIds.size(); i++) {
                channel.deliver(agentIds.get(i), taskIds.get(i), plain.get(i));
            }
        });
        return taskIds;
    }

    private static void afterCommit(Runnable action) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    action.run();
                }
            });
        } else {
            action.run();
        }
    }

    @Transactional(readOnly = true)
    public AgentTask task(long agentId, long taskId) {
        return tasks.find(agentId, taskId).orElseThrow(() -> new NotFoundException("Task", taskId));
    }
}
