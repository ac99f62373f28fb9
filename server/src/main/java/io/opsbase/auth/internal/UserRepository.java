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

import io.opsbase.auth.Role;
import io.opsbase.auth.UserAccount;

@Repository
public class UserRepository {

    private final JdbcClient jdbc;

    UserRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public record StoredUser(UserAccount account, String passwordHash, int failedLogins) {
    }

    public long insert(String username, String displayName, String passwordHash, Role role, Instant now) {
        var keys = new GeneratedKeyHolder();
        jdbc.sql("""
                insert into users (username, display_name, password_hash, role, enabled, failed_logins, created_at, updated_at)
                values (:u, :d, :h, :r, true, 0, :now, :now)""")
                .param("u", username).param("d", displayName).param("h", passwordHash).param("r", role.key())
                .param("now", Timestamp.from(now))
                .update(keys, "id");
        return keys.getKey().longValue();
    }

    public Optional<StoredUser> findByUsername(String username) {
        return jdbc.sql("select * from users where username = :u").param("u", username).query(UserRepository::map).optional();
    }

    public Optional<StoredUser> findById(long id) {
        return jdbc.sql("select * from users where id = :id").param("id", id).query(UserRepository::map).optional();
    }

    public List<UserAccount> findAll() {
        return jdbc.sql("select * from users order by username").query(UserRepository::map).list()
                .stream().map(StoredUser::account).toList();
    }

    public long count() {
        return jdbc.sql("select count(*) from users").query(Long.class).single();
    }

    public void update(long id, String displayName, Role role, boolean enabled, Instant now) {
        jdbc.sql("update users set display_name = :d, role = :r, enabled = :e, updated_at = :now where id = :id")
                .param("d", displayName).param("r", role.key()).param("e", enabled).param("now", Timestamp.from(now))
                .param("id", id).update();
    }

    public void updatePassword(long id, String hash, Instant now) {
        jdbc.sql("update users set password_hash = :h, updated_at = :now where id = :id")
                .param("h", hash).param("now", Timestamp.from(now)).param("id", id).update();
    }

    public void recordFailedLogin(long id, int failedLogins, Instant lockedUntil) {
        jdbc.sql("update users set failed_logins = :f, locked_until = :l where id = :id")
                .param("f", failedLogins).param("l", lockedUntil == null ? null : Timestamp.from(lockedUntil))
                .param("id", id).update();
    }

    public void recordSuccessfulLogin(long id) {
        jdbc.sql("update users set failed_logins = 0, locked_until = null where id = :id").param("id", id).update();
    }

    private static StoredUser map(ResultSet rs, int n) throws SQLException {
        Timestamp locked = rs.getTimestamp("locked_until");
        var account = new UserAccount(rs.getLong("id"), rs.getString("username"), rs.getString("display_name"),
                Role.fromKey(rs.getString("role")), rs.getBoolean("enabled"), locked == null ? null : locked.toInstant(),
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant());
        return new StoredUser(account, rs.getString("password_hash"), rs.getInt("failed_logins"));
    }
}
