package io.opsbase.files;

/**
 * The result of {@link FileStore#store}: the stored file and whether this upload created it
 * ({@code false} when the same content was already stored).
 */
public record FileUpload(StoredFile file, boolean created) {
}
