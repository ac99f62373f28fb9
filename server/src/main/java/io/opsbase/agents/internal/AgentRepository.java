package io.opsbase.agents.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;

import io.opsbase.agents.AgentInfo;

@Repository
public class AgentRepository {

    /** An agent counts as online when seen this recently (a long-poll renews every ≤ 60 s). */
    public static final Duration ONLINE_WINDOW = Duration.ofSeconds(90);

    private final JdbcClient jdbc;

    AgentRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public record Credentials(long id, String sealedSecret, boolean revoked) {
    }

    public long insert(String sealedSecret, String hostname, String fingerprintJson, String version, String address,
            Long enrollmentTokenId, boolean autoApprove, Instant now) {
        var keys = new GeneratedKeyHolder();
        jdbc.sql("""
                insert into agents (secret_sealed, hostname, fingerprint, version, address, enrollment_token_id,
                    auto_approve, enrolled_at, last_seen_at)
                values (:s, :h, :f, :v, :a, :t, :aa, :now, :now)""")
                .param("s", sealedSecret).param("h", hostname).param("f", fingerprintJson).param("v", version)
                .param("a", address).param("t", enrollmentTokenId).param("aa", autoApprove)
                .param("now", Timestamp.from(now))
                .update(keys, "id");
        return keys.getKey().longValue();
    }

    public Optional<Credentials> credentials(long id) {
        return jdbc.sql("select id, secret_sealed, revoked_at from agents where id = :id").param("id", id)
                .query((rs, n) -> new Credentials(rs.getLong(1), rs.getString(2), rs.getTimestamp(3) != null))
                .optional();
    }

    public boolean revoke(long id, Instant now) {
        return jdbc.sql("update agents set revoked_at = :now, credentials_changed_at = :now where id = :id and revoked_at is null")
                .param("now", Timestamp.from(now)).param("id", id).update() == 1;
    }

    public void bindCi(long id, Long ciId) {
        jdbc.sql("update agents set ci_id = :ci where id = :id").param("ci", ciId).param("id", id).update();
    }

    public Optional<AgentInfo> find(long id, Instant now) {
        return jdbc.sql("select * from agents where id = :id").param("id", id).query((rs, n) -> map(rs, now)).optional();
    }

    public List<AgentInfo> list(Long afterId, int limit, Instant now) {
        return jdbc.sql("select * from agents where id > :after order by id limit :limit")
                .param("after", afterId == null ? 0L : afterId).param("limit", limit)
                .query((rs, n) -> map(rs, now)).list();
    }

    /** The agents with these ids (unknown ids are left out), in one query. */
    public List<AgentInfo> findAll(Collection<Long> ids, Instant now) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("select * from agents where id in (:ids)").param("ids", List.copyOf(ids))
                .query((rs, n) -> map(rs, now)).list();
    }

    /** The live (not revoked) agents bound to these CIs; with several per CI, the newest. */
    public List<AgentInfo> findBoundTo(Collection<Long> ciIds, Instant now) {
        if (ciIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("select * from agents where ci_id in (:ids) and revoked_at is null order by id")
                .param("ids", List.copyOf(ciIds)).query((rs, n) -> map(rs, now)).list();
    }

    public long count() {
        return jdbc.sql("select count(*) from agents").query(Long.class).single();
    }

    private static AgentInfo map(ResultSet rs, Instant now) throws SQLException {
        Timestamp seen = rs.getTimestamp("last_seen_at");
        Timestamp revoked = rs.getTimestamp("revoked_at");
        long ci = rs.getLong("ci_id");
        Long ciId = rs.wasNull() ? null : ci;
        String status = revoked != null ? "revoked"
                : seen != null && seen.toInstant().isAfter(now.minus(ONLINE_WINDOW)) ? "online" : "offline";
        return new AgentInfo(rs.getLong("id"), ciId, rs.getString("hostname"), rs.getString("version"),
                rs.getString("address"), status, ciId == null && revoked == null,
                rs.getTimestamp("enrolled_at").toInstant(), seen == null ? null : seen.toInstant(),
                revoked == null ? null : revoked.toInstant());
    }
}
