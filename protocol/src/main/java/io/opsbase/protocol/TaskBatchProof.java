package io.opsbase.protocol;

import java.util.List;

/**
 * Where a task sits in the Merkle tree of the batch it was signed with: its leaf index, the
 * tree's size and the audit path (the sibling hashes from the leaf up to the root, base64 of 32
 * bytes each, RFC 6962 / RFC 9162 §2.1.3). With the task's own canonical bytes this gives the
 * batch's root, and {@link SignedTask#signature} is the server's Ed25519 signature over that root
 * — see {@link io.opsbase.protocol.signing.TaskTree}.
 */
public record TaskBatchProof(long leafIndex, long treeSize, List<String> path) {

    public TaskBatchProof {
        // Not List.copyOf: a null entry from the wire must make this task's proof fail, not the whole poll answer's parse.
        path = path == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(path));
    }
}
