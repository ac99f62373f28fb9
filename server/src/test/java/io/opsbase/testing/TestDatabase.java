package io.opsbase.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * Gives every Spring test context a database of its own. By default an in-memory H2 database in
 * PostgreSQL mode; with {@code -Dopsbase.test.db=postgres} a fresh database on the PostgreSQL at
 * {@code 127.0.0.1:5432} (override with {@code -Dopsbase.test.pg-url}, user {@code postgres}).
 * CI runs the whole server suite once each way, so every repository and API test runs on both
 * engines. A test that asks for PostgreSQL and cannot reach it fails; it never skips.
 */
public class TestDatabase implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    public static final String ENGINE_PROPERTY = "opsbase.test.db";

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        String name = "opsbase_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        Map<String, Object> props = isPostgres()
                ? Map.of("spring.datasource.url", createPostgresDatabase(name),
                        "spring.datasource.username", "postgres", "spring.datasource.password", "")
                : Map.of("spring.datasource.url", "jdbc:h2:mem:" + name
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
                        "spring.datasource.username", "sa", "spring.datasource.password", "");
        var all = new java.util.HashMap<String, Object>(props);
        if (isPostgres()) {
            // Many contexts stay cached during a run, each with its own pool: keep each small and let
            // idle connections go, or PostgreSQL's 100 connections run out. (H2 in memory is left as
            // configured: with idle connections retired its in-memory databases misbehave.)
            all.put("spring.datasource.hikari.maximum-pool-size", 10);
            all.put("spring.datasource.hikari.minimum-idle", 1);
            all.put("spring.datasource.hikari.idle-timeout", 10_000);
        }
        try {
            // Each context also gets its own data directory (keys, files, metrics), never ./data.
            all.put("opsbase.data-dir", java.nio.file.Files.createTempDirectory("opsbase-test-").toString());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("opsbase-test-db", all));
    }

    public static boolean isPostgres() {
        return "postgres".equalsIgnoreCase(System.getProperty(ENGINE_PROPERTY, "h2"));
    }

    private static String createPostgresDatabase(String name) {
        String admin = System.getProperty("opsbase.test.pg-url", "jdbc:postgresql://127.0.0.1:5432/postgres");
        try (Connection c = DriverManager.getConnection(admin, "postgres", "")) {
            c.createStatement().execute("create database " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL tests need a server at " + admin + ": " + e.getMessage(), e);
        }
        return admin.substring(0, admin.lastIndexOf('/') + 1) + name;
    }
}
