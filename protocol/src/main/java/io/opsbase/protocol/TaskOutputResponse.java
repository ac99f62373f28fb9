package io.opsbase.protocol;

/** The answer to a task output chunk. */
public record TaskOutputResponse(Acknowledgement acknowledgement) {
}
