package io.opsbase.protocol.signing;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.opsbase.protocol.ProtocolJson;
import io.opsbase.protocol.SignedTask;
import io.opsbase.protocol.Task;
import io.opsbase.protocol.TaskBatchProof;

class TaskBatchSignatureTest {

    private static final Instant ISSUED = Instant.parse("2026-11-28T10:00:00Z");

    private final KeyPair keys = Ed25519Keys.generate();
    private final TaskSigner signer = new TaskSigner(keys.getPrivate());
    private final TaskVerifier verifier = new TaskVerifier(keys.getPublic());

    private static List<Task> tasks(int n, String prefix) {
        return IntStream.range(0, n).mapToObj(i -> new Task(prefix + i, "agent-" + i, Task.SCRIPT,
                Map.of("language", "sh", "script", "uname -a"), ISSUED, ISSUED.plusSeconds(600))).toList();
    }

    @Test
    void everyTaskOfBatchesOfEverySizeVerifiesWithOneSignature() {
        for (int n : new int[] {1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 100, 1000}) {
            List<SignedTask> signed = signer.signAll(tasks(n, "t-"));
            assertThat(signed).hasSize(n);
            assertThat(signed.stream().map(SignedTask::signature).distinct()).hasSize(1);
            for (SignedTask s : signed) {
                assertThat(verifier.verify(s)).as("batch of %d, leaf %d", n, s.batch().leafIndex()).isTrue();
            }
        }
    }

    @Test
    void theRootIsRfc6962sMerkleTreeHash() throws Exception {
        var batch = tasks(11, "t-");
        List<byte[]> leaves = batch.stream().map(t -> TaskTree.leafHash(TaskSigner.canonical(t))).toList();

        assertThat(TaskTree.build(leaves).root()).isEqualTo(referenceRoot(leaves));
        var sha = MessageDigest.getInstance("SHA-256");
        sha.update((byte) 0);
        sha.update(TaskSigner.canonical(batch.getFirst()));
        assertThat(leaves.getFirst()).isEqualTo(sha.digest());
        assertThat(TaskTree.build(leaves.subList(0, 1)).root()).isEqualTo(leaves.getFirst());
    }

    /** RFC 6962 §2.1 written out directly: MTH(D[n]) = SHA-256(0x01 ‖ MTH(D[0:k]) ‖ MTH(D[k:n])). */
    private static byte[] referenceRoot(List<byte[]> leaves) throws Exception {
        if (leaves.size() == 1) {
            return leaves.getFirst();
        }
        int k = 1;
        while (k * 2 < leaves.size()) {
            k *= 2;
        }
        var sha = MessageDigest.getInstance("SHA-256");
        sha.update((byte) 1);
        sha.update(referenceRoot(leaves.subList(0, k)));
        sha.update(referenceRoot(leaves.subList(k, leaves.size())));
        return sha.digest();
    }

    @Test
    void verifiesABatchTaskAfterItCrossedTheWireAsJson() {
        var signed = signer.signAll(tasks(6, "t-")).get(4);
        var json = ProtocolJson.write(signed);

        assertThat(new String(json)).contains("\"batch\":{").contains("\"leafIndex\":4").contains("\"treeSize\":6");
        assertThat(verifier.verify(ProtocolJson.read(json, SignedTask.class))).isTrue();
    }

    @Test
    void rejectsATamperedTaskOfABatch() {
        var signed = signer.signAll(tasks(8, "t-")).get(3);
        var t = signed.task();
        var rescripted = new Task(t.taskId(), t.agentId(), t.type(), Map.of("language", "sh", "script", "rm -rf /tmp/x"),
                t.issuedAt(), t.expiresAt());
        var redirected = new Task(t.taskId(), "agent-4", t.type(), t.parameters(), t.issuedAt(), t.expiresAt());
        var renumbered = new Task("t-99", t.agentId(), t.type(), t.parameters(), t.issuedAt(), t.expiresAt());
        var extended = new Task(t.taskId(), t.agentId(), t.type(), t.parameters(), t.issuedAt(), t.expiresAt().plusSeconds(3600));

        for (Task altered : List.of(rescripted, redirected, renumbered, extended)) {
            assertThat(verifier.verify(new SignedTask(altered, signed.signature(), signed.batch()))).as(altered.toString()).isFalse();
        }
    }

    @Test
    void rejectsAWrongAuditPath() {
        var signed = signer.signAll(tasks(13, "t-")).get(6);
        var path = signed.batch().path();
        for (int i = 0; i < path.size(); i++) {
            byte[] hash = Base64.getDecoder().decode(path.get(i));
            hash[i % hash.length] ^= 1;
            var flipped = new ArrayList<>(path);
            flipped.set(i, Base64.getEncoder().encodeToString(hash));
            assertThat(verifier.verify(withProof(signed, signed.batch().leafIndex(), signed.batch().treeSize(), flipped)))
                    .as("hash %d flipped", i).isFalse();
        }
        var reversed = new ArrayList<>(path);
        java.util.Collections.reverse(reversed);
        assertThat(verifier.verify(withProof(signed, 6, 13, reversed))).isFalse();
        assertThat(verifier.verify(withProof(signed, 6, 13, path.subList(0, path.size() - 1)))).isFalse();
        var longer = new ArrayList<>(path);
        longer.add(path.getFirst());
        assertThat(verifier.verify(withProof(signed, 6, 13, longer))).isFalse();
    }

    @Test
    void rejectsTheProofOfAnotherBatch() {
        var ours = signer.signAll(tasks(5, "t-")).get(2);
        var theirs = signer.signAll(tasks(5, "u-")).get(2);

        assertThat(verifier.verify(new SignedTask(ours.task(), theirs.signature(), theirs.batch()))).isFalse();
        assertThat(verifier.verify(new SignedTask(ours.task(), ours.signature(), theirs.batch()))).isFalse();
        assertThat(verifier.verify(new SignedTask(ours.task(), theirs.signature(), ours.batch()))).isFalse();
    }

    @Test
    void rejectsATaskCarryingAnotherLeafsProof() {
        var batch = signer.signAll(tasks(9, "t-"));
        for (int i = 0; i < batch.size(); i++) {
            for (int j = 0; j < batch.size(); j++) {
                if (i != j) {
                    var swapped = new SignedTask(batch.get(i).task(), batch.get(j).signature(), batch.get(j).batch());
                    assertThat(verifier.verify(swapped)).as("task %d with the proof of leaf %d", i, j).isFalse();
                }
            }
        }
    }

    @Test
    void rejectsEveryOtherLeafIndexOrTreeSizeWithTheSamePath() {
        for (int n = 1; n <= 9; n++) {
            var batch = signer.signAll(tasks(n, "t-"));
            for (SignedTask signed : batch) {
                for (long index = -1; index <= 10; index++) {
                    for (long size = 0; size <= 10; size++) {
                        if (index == signed.batch().leafIndex() && size == n) {
                            continue;
                        }
                        assertThat(verifier.verify(withProof(signed, index, size, signed.batch().path())))
                                .as("leaf %d of %d claimed as leaf %d of %d", signed.batch().leafIndex(), n, index, size).isFalse();
                    }
                }
            }
        }
    }

    @Test
    void rejectsMalformedProofs() {
        var signed = signer.signAll(tasks(4, "t-")).get(1);
        var path = signed.batch().path();
        var shortHash = Base64.getEncoder().encodeToString(new byte[31]);
        var longHash = Base64.getEncoder().encodeToString(new byte[33]);

        assertThat(verifier.verify(withProof(signed, 1, 4, List.of("not base64!", path.get(1))))).isFalse();
        assertThat(verifier.verify(withProof(signed, 1, 4, List.of(shortHash, path.get(1))))).isFalse();
        assertThat(verifier.verify(withProof(signed, 1, 4, List.of(path.get(0), longHash)))).isFalse();
        assertThat(verifier.verify(withProof(signed, 1, 4, List.of()))).isFalse();
        assertThat(verifier.verify(withProof(signed, 1, 4, java.util.Collections.nCopies(64, path.get(0))))).isFalse();
        assertThat(verifier.verify(withProof(signed, Long.MIN_VALUE, Long.MAX_VALUE, path))).isFalse();
        assertThat(verifier.verify(withProof(signed, 1, -4, path))).isFalse();
        var nullEntry = new ArrayList<String>(Arrays.asList(path.get(0), null));
        assertThat(verifier.verify(withProof(signed, 1, 4, nullEntry))).isFalse();
        assertThat(verifier.verify(new SignedTask(signed.task(), "not base64!", signed.batch()))).isFalse();
        assertThat(verifier.verify(new SignedTask(signed.task(), "AAAA", signed.batch()))).isFalse();
    }

    @Test
    void aBatchSignatureNeverPassesForATaskSignedAloneNorTheOtherWayRound() {
        var batched = signer.signAll(tasks(1, "t-")).getFirst();
        var alone = signer.sign(batched.task());

        assertThat(batched.batch().path()).isEmpty();
        assertThat(verifier.verify(batched)).isTrue();
        assertThat(verifier.verify(new SignedTask(batched.task(), batched.signature()))).isFalse();
        assertThat(verifier.verify(new SignedTask(alone.task(), alone.signature(), batched.batch()))).isFalse();
    }

    @Test
    void rejectsABatchSignedByAnotherKey() {
        var foreign = new TaskSigner(Ed25519Keys.generate().getPrivate()).signAll(tasks(3, "t-")).get(1);

        assertThat(verifier.verify(foreign)).isFalse();
    }

    private static SignedTask withProof(SignedTask signed, long index, long size, List<String> path) {
        return new SignedTask(signed.task(), signed.signature(), new TaskBatchProof(index, size, path));
    }
}
