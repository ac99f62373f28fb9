package io.opsbase.auth.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;

import io.opsbase.auth.ApiToken;

@Repository
public class TokenRepository {

    private final JdbcClient jdbc;

    TokenRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public long insert(long userId, String name, String hash, String prefix, Instant now, Instant expiresAt) {
        var keys = new GeneratedKeyHolder();
        jdbc.sql("""
                insert into api_tokens (user_id, name, token_hash, token_prefix, created_at, expires_at)
                values (:u, :n, :h, :p, :now, :exp)""")
                .param("u", userId).param("n", name).param("h", hash).param("p", prefix)
                .param("now", Timestamp.from(now)).param("exp", Timestamp.from(expiresAt))
                .update(keys, "id");
        return keys.getKey().longValue();
    }

    public Optional<ApiToken> findByHash(String hash) {
        return jdbc.sql("select * from api_tokens where token_hash = :h").param("h", hash).query(TokenRepository::map).optional();
    }

    public Optional<ApiToken> findById(long id) {
        return jdbc.sql("select * from api_tokens where id = :id").param("id", id).query(TokenRepository::map).optional();
    }

    public List<ApiToken> findByUser(long userId) {
        return jdbc.sql("select * from api_tokens where user_id = :u order by id desc").param("u", userId)
                .query(TokenRepository::map).list();
    }

    /** Last-used time is advisory: written at most once a minute per token to keep reads cheap. */
    public void touch(long id, Instant now) {
        jdbc.sql("update api_tokens set last_used_at = :now where id = :id and (last_used_at is null or last_used_at < :cutoff)")
                .param("now", Timestamp.from(now)).param("cutoff", Timestamp.from(now.minusSeconds(60))).param("id", id)
                .update();
    }

    public boolean revoke(long id, Instant now) {
        return jdbc.sql("update api_tokens set revoked_at = :now where id = :id and revoked_at is null")
                .param("now", Timestamp.from(now)).param("id", id).update() == 1;
    }

    private static ApiToken map(ResultSet rs, int n) throws SQLException {
        Timestamp used = rs.getTimestamp("last_used_at");
        Timestamp revoked = rs.getTimestamp("revoked_at");
        return new ApiToken(rs.getLong("id"), rs.getLong("user_id"), rs.getString("name"), rs.getString("token_prefix"),
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("expires_at").toInstant(),
                used == null ? null : used.toInstant(), revoked == null ? null : revoked.toInstant());
    }
}
