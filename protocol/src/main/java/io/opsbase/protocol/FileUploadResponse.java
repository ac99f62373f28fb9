package io.opsbase.protocol;

/**
 * The answer to an agent file upload ({@code POST} {@link AgentEndpoints#FILES}): the stored
 * file's SHA-256 (lower-case hex) and size. 201 when the content was new, 200 when it was already
 * stored.
 */
public record FileUploadResponse(String sha256, long size) {
}
