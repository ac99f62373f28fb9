package io.opsbase.files;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.NotNull;

/**
 * {@code opsbase.files.*}.
 *
 * @param maxSize the largest file an upload may store (API, UI or agent); a larger one is refused
 *                with 413 and leaves nothing on disk. Default 2 GB.
 */
@Validated
@ConfigurationProperties("opsbase.files")
public record FilesProperties(@NotNull @DefaultValue("2GB") DataSize maxSize) {

    public FilesProperties {
        if (maxSize != null && maxSize.toBytes() <= 0) {
            throw new IllegalArgumentException("opsbase.files.max-size must be positive, was " + maxSize);
        }
    }
}
