package io.opsbase.protocol.signing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import io.opsbase.protocol.TaskBatchProof;

/**
 * The Merkle tree that lets one Ed25519 signature vouch for a whole batch of tasks, in the form of
 * RFC 6962 §2.1 (RFC 9162 §2.1), SHA-256:
 *
 * <pre>
 *   leaf hash  = SHA-256(0x00 ‖ canonical task bytes)        (the bytes a task signed alone is signed over)
 *   node hash  = SHA-256(0x01 ‖ left ‖ right)
 *   MTH(n)     = node(MTH(first k leaves), MTH(remaining n − k)), k the largest power of two &lt; n
 *   MTH(1)     = the leaf hash;  a batch is never empty
 *   signed     = "opsbase-task-batch-v1\n" ‖ tree size (8 bytes, big-endian) ‖ MTH (32 bytes),
 *                Ed25519 with the server key
 * </pre>
 *
 * The 0x00/0x01 prefixes keep a leaf from passing for an inner node (and the other way round), and
 * the two signature prefixes keep a batch root from passing for a task signed alone. A task's
 * {@link TaskBatchProof} is its leaf index, the tree size and the audit path; {@link #rootFromPath}
 * recomputes the root with RFC 9162 §2.1.3.2, which fails for an index outside the tree and for a
 * path longer or shorter than the one the (index, size) pair defines. The tree size is signed
 * with the root, as in RFC 6962's signed tree head: the audit path alone does not pin it (leaf 0
 * of 5 and of 6 leaves takes the same steps), and a proof claiming another size must fail.
 *
 * <p>No Jackson here: the agent uses it with its own canonical bytes. Stateless and thread-safe.
 */
public final class TaskTree {

    /** The prefix of a batch's signed bytes; distinct from {@link TaskSigner#PREFIX}. */
    static final String BATCH_PREFIX = "opsbase-task-batch-v1\n";
    static final int HASH_BYTES = 32;
    /** A tree of at most 2^63 leaves has a path of at most 63 hashes; anything longer is malformed. */
    static final int MAX_PATH = 63;

    private TaskTree() {
    }

    public static byte[] leafHash(byte[] canonicalTask) {
        var sha = sha256();
        sha.update((byte) 0x00);
        sha.update(canonicalTask);
        return sha.digest();
    }

    static byte[] nodeHash(byte[] left, byte[] right) {
        var sha = sha256();
        sha.update((byte) 0x01);
        sha.update(left);
        sha.update(right);
        return sha.digest();
    }

    /** What the server signs for a batch: {@code opsbase-task-batch-v1\n} ‖ tree size (int64, big-endian) ‖ root. */
    public static byte[] signedBytes(long treeSize, byte[] root) {
        var prefix = BATCH_PREFIX.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(prefix.length + Long.BYTES + root.length).put(prefix).putLong(treeSize).put(root).array();
    }

    /** A built tree: its root and every leaf's audit path (leaf to root), in leaf order. */
    public record Built(byte[] root, List<List<byte[]>> paths) {
    }

    /** Builds the tree over these leaf hashes (at least one) and every leaf's audit path. */
    public static Built build(List<byte[]> leaves) {
        if (leaves.isEmpty()) {
            throw new IllegalArgumentException("a task batch has at least one task");
        }
        List<List<byte[]>> paths = new ArrayList<>(leaves.size());
        for (int i = 0; i < leaves.size(); i++) {
            paths.add(new ArrayList<>());
        }
        byte[] root = subtree(leaves, 0, leaves.size(), paths);
        return new Built(root, paths);
    }

    /** MTH of leaves [from, to); appends this subtree's sibling to the paths of the leaves below it. */
    private static byte[] subtree(List<byte[]> leaves, int from, int to, List<List<byte[]>> paths) {
        int n = to - from;
        if (n == 1) {
            return leaves.get(from);
        }
        int k = Integer.highestOneBit(n - 1);
        byte[] left = subtree(leaves, from, from + k, paths);
        byte[] right = subtree(leaves, from + k, to, paths);
        // Paths are built bottom-up: deeper siblings were appended by the recursive calls first.
        for (int i = from; i < from + k; i++) {
            paths.get(i).add(right);
        }
        for (int i = from + k; i < to; i++) {
            paths.get(i).add(left);
        }
        return nodeHash(left, right);
    }

    /**
     * The root that a leaf and its audit path lead to (RFC 9162 §2.1.3.2); empty when the proof
     * cannot belong to any tree of that size — index not below the size, a path too short or too
     * long for the (index, size) pair.
     */
    public static Optional<byte[]> rootFromPath(byte[] leafHash, long leafIndex, long treeSize, List<byte[]> path) {
        if (leafIndex < 0 || treeSize < 1 || leafIndex >= treeSize || path.size() > MAX_PATH) {
            return Optional.empty();
        }
        long fn = leafIndex;
        long sn = treeSize - 1;
        byte[] r = leafHash;
        for (byte[] p : path) {
            if (sn == 0 || p.length != HASH_BYTES) {
                return Optional.empty();
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = nodeHash(p, r);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                r = nodeHash(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 ? Optional.of(r) : Optional.empty();
    }

    /**
     * The batch root a task's proof leads to, from the task's canonical bytes; empty when the proof
     * is malformed (not base64, a hash not 32 bytes long, an impossible index, size or length).
     */
    public static Optional<byte[]> rootOf(byte[] canonicalTask, TaskBatchProof proof) {
        if (proof.path().size() > MAX_PATH) {
            return Optional.empty();
        }
        List<byte[]> path = new ArrayList<>(proof.path().size());
        try {
            for (String hash : proof.path()) {
                if (hash == null) {
                    return Optional.empty();
                }
                byte[] bytes = Base64.getDecoder().decode(hash);
                if (bytes.length != HASH_BYTES) {
                    return Optional.empty();
                }
                path.add(bytes);
            }
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return rootFromPath(leafHash(canonicalTask), proof.leafIndex(), proof.treeSize(), path);
    }

    /** The proof of leaf {@code index} in a built tree, hashes in base64. */
    public static TaskBatchProof proof(Built tree, int index) {
        var encoder = Base64.getEncoder();
        return new TaskBatchProof(index, tree.paths().size(), tree.paths().get(index).stream().map(encoder::encodeToString).toList());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
