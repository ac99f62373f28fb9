package io.opsbase.protocol;

import java.util.Objects;

/** A task and the base64 Ed25519 signature of its canonical form. */
public record SignedTask(Task task, String signature) {

    public SignedTask {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(signature, "signature");
    }
}
