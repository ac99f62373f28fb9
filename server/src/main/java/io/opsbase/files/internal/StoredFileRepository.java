package io.opsbase.files.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import io.opsbase.files.StoredFile;

/** The {@code stored_files} table: one row per stored content. */
@Repository
public class StoredFileRepository {

    private static final String COLUMNS = "sha256, size, name, content_type, uploaded_by, uploaded_at";

    private final JdbcClient jdbc;

    StoredFileRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<StoredFile> find(String sha256) {
        return jdbc.sql("select " + COLUMNS + " from stored_files where sha256 = :s").param("s", sha256)
                .query(StoredFileRepository::map).optional();
    }

    public void insert(StoredFile file) {
        jdbc.sql("insert into stored_files (" + COLUMNS + ") values (:s, :size, :n, :ct, :by, :at)")
                .param("s", file.sha256()).param("size", file.size()).param("n", file.name())
                .param("ct", file.contentType()).param("by", file.uploadedBy())
                .param("at", Timestamp.from(file.uploadedAt()))
                .update();
    }

    public boolean delete(String sha256) {
        return jdbc.sql("delete from stored_files where sha256 = :s").param("s", sha256).update() > 0;
    }

    /** Newest first; {@code after} is the last row of the previous page, or null for the first page. */
    public List<StoredFile> page(Instant afterUploadedAt, String afterSha256, int limit) {
        if (afterUploadedAt == null) {
            return jdbc.sql("select " + COLUMNS + " from stored_files order by uploaded_at desc, sha256 desc limit :l")
                    .param("l", limit).query(StoredFileRepository::map).list();
        }
        return jdbc.sql("select " + COLUMNS + " from stored_files"
                + " where uploaded_at < :t or (uploaded_at = :t and sha256 < :s)"
                + " order by uploaded_at desc, sha256 desc limit :l")
                .param("t", Timestamp.from(afterUploadedAt)).param("s", afterSha256).param("l", limit)
                .query(StoredFileRepository::map).list();
    }

    public long count() {
        return jdbc.sql("select count(*) from stored_files").query(Long.class).single();
    }

    private static StoredFile map(ResultSet rs, int row) throws SQLException {
        return new StoredFile(rs.getString("sha256"), rs.getLong("size"), rs.getString("name"),
                rs.getString("content_type"), rs.getString("uploaded_by"), rs.getTimestamp("uploaded_at").toInstant());
    }
}
