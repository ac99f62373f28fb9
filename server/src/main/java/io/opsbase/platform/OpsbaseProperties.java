package io.opsbase.platform;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.NotNull;

/**
 * Settings shared by every feature. Features keep their own {@code *Properties} records beside
 * their code; only what all of them need lives here.
 *
 * @param dataDir where the embedded database, metric files and the file store live
 * @param adminPassword password for the first {@code admin} user; when blank a random one is
 *                      generated and logged once. Never logged otherwise.
 */
@Validated
@ConfigurationProperties("opsbase")
public record OpsbaseProperties(@NotNull Path dataDir, String adminPassword) {

    @Override
    public String toString() {
        return "OpsbaseProperties[dataDir=" + dataDir + ", adminPassword="
                + (adminPassword == null || adminPassword.isBlank() ? "<generated>" : "<hidden>") + "]";
    }
}
