package io.opsbase.files;

import java.time.Instant;

/**
 * One distinct content in the file store. {@code name} and {@code contentType} are those of the
 * first upload; the same bytes uploaded again under another name are still this one file.
 *
 * @param sha256 lower-case hex SHA-256 of the content; the file's identity
 */
public record StoredFile(String sha256, long size, String name, String contentType, String uploadedBy,
        Instant uploadedAt) {
}
