package io.opsbase.jobs.internal;

import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Whether the file store holds a file, read from its {@code stored_files} table. Deliberately the
 * one place the jobs feature reads another feature's table: it is replaced by the files feature's
 * own facade when both are merged. Before the files feature exists (no table) no file exists.
 */
@Component
public class StoredFiles {

    private final JdbcClient jdbc;

    StoredFiles(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The stored size of the file with this SHA-256, empty when the store does not hold it. */
    public Optional<Long> size(String sha256) {
        // Ask the catalogue first: a failing statement would abort a PostgreSQL transaction.
        boolean exists = jdbc.sql("select count(*) from information_schema.tables where lower(table_name) = 'stored_files'")
                .query(Long.class).single() > 0;
        if (!exists) {
            return Optional.empty();
        }
        return jdbc.sql("select size from stored_files where sha256 = :s").param("s", sha256).query(Long.class).optional();
    }
}
