package io.opsbase.platform;

import java.nio.file.Files;
import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Logs the effective settings once at start-up, secrets hidden, and fails fast when the data
 * directory cannot be used (HikariCP's {@code validate()} habit: a precise message at start, not
 * a confusing failure later).
 */
@Component
class EffectiveConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EffectiveConfiguration.class);

    private final OpsbaseProperties properties;
    private final Environment environment;

    EffectiveConfiguration(OpsbaseProperties properties, Environment environment) {
        this.properties = properties;
        this.environment = environment;
        Path dir = properties.dataDir().toAbsolutePath();
        try {
            Files.createDirectories(dir);
        } catch (Exception e) {
            throw new IllegalStateException("opsbase.data-dir " + dir + " cannot be created: " + e.getMessage(), e);
        }
        if (!Files.isWritable(dir)) {
            throw new IllegalStateException("opsbase.data-dir " + dir + " is not writable");
        }
    }

    @EventListener(ApplicationReadyEvent.class)
    void logEffectiveSettings() {
        String url = environment.getProperty("spring.datasource.url", "");
        // JDBC URLs may carry credentials as parameters; show only the part before them.
        String shownUrl = url.replaceAll("(?i)(password|pwd)=[^;&]*", "$1=<hidden>");
        log.info("Effective configuration: {}, database={}, user={}, port={}", properties, shownUrl,
                environment.getProperty("spring.datasource.username"), environment.getProperty("server.port", "8080"));
    }
}
