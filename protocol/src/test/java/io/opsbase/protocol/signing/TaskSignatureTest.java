package io.opsbase.protocol.signing;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.opsbase.protocol.ProtocolJson;
import io.opsbase.protocol.SignedTask;
import io.opsbase.protocol.Task;

class TaskSignatureTest {

    private final KeyPair keys = Ed25519Keys.generate();
    private final TaskSigner signer = new TaskSigner(keys.getPrivate());
    private final TaskVerifier verifier = new TaskVerifier(Ed25519Keys.publicKey(Ed25519Keys.encode(keys.getPublic())));
    private final Task task = new Task("t-1", "agent-1", Task.PING, Map.of("b", "2", "a", "1"),
            Instant.parse("2026-11-28T10:00:00Z"), Instant.parse("2026-11-28T10:05:00Z"));

    @Test
    void verifiesATaskSignedByTheServerKey() {
        assertThat(verifier.verify(signer.sign(task))).isTrue();
    }

    @Test
    void verifiesATaskAfterItCrossedTheWireAsJson() {
        var json = ProtocolJson.write(signer.sign(task));

        assertThat(verifier.verify(ProtocolJson.read(json, SignedTask.class))).isTrue();
    }

    @Test
    void rejectsATaskWhoseTypeOrParametersWereChanged() {
        var signed = signer.sign(task);
        var retyped = new Task("t-1", "agent-1", "shell", task.parameters(), task.issuedAt(), task.expiresAt());
        var reparametrised = new Task("t-1", "agent-1", Task.PING, Map.of("a", "1", "b", "3"), task.issuedAt(), task.expiresAt());

        assertThat(verifier.verify(new SignedTask(retyped, signed.signature()))).isFalse();
        assertThat(verifier.verify(new SignedTask(reparametrised, signed.signature()))).isFalse();
    }

    @Test
    void rejectsATaskRedirectedToAnotherAgent() {
        var signed = signer.sign(task);
        var redirected = new Task("t-1", "agent-2", Task.PING, task.parameters(), task.issuedAt(), task.expiresAt());

        assertThat(verifier.verify(new SignedTask(redirected, signed.signature()))).isFalse();
    }

    @Test
    void rejectsATaskSignedByAnotherKey() {
        var foreign = new TaskSigner(Ed25519Keys.generate().getPrivate()).sign(task);

        assertThat(verifier.verify(foreign)).isFalse();
    }

    @Test
    void rejectsAGarbledSignature() {
        assertThat(verifier.verify(new SignedTask(task, "not base64!"))).isFalse();
        assertThat(verifier.verify(new SignedTask(task, "AAAA"))).isFalse();
    }

    @Test
    void canonicalFormSortsMembersAndIgnoresMapInsertionOrder() {
        var text = new String(TaskSigner.canonical(task), java.nio.charset.StandardCharsets.UTF_8);

        assertThat(text).isEqualTo("opsbase-task-v1\n{\"agentId\":\"agent-1\",\"expiresAt\":\"2026-11-28T10:05:00Z\","
                + "\"issuedAt\":\"2026-11-28T10:00:00Z\",\"parameters\":{\"a\":\"1\",\"b\":\"2\"},\"taskId\":\"t-1\",\"type\":\"ping\"}");
    }

    @Test
    void privateKeySurvivesItsTextForm() {
        var reloaded = new TaskSigner(Ed25519Keys.privateKey(Ed25519Keys.encode(keys.getPrivate())));

        assertThat(verifier.verify(reloaded.sign(task))).isTrue();
    }
}
