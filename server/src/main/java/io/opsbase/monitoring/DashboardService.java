package io.opsbase.monitoring;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.opsbase.metrics.SeriesKey;
import io.opsbase.platform.InvalidInputException;
import io.opsbase.platform.InvalidInputException.FieldViolation;
import io.opsbase.platform.NotFoundException;
import io.opsbase.protocol.ProtocolJson;
import tools.jackson.core.type.TypeReference;

/**
 * Dashboards users compose and save. Everyone sees shared dashboards and their own; only the owner
 * (or an admin) changes or deletes one. No rule applies beyond that, so this service talks to its
 * table directly.
 */
@Service
public class DashboardService {

    static final int MAX_PANELS = 24;
    private static final Set<String> UNITS = Set.of("", "%", "B/s", "B", "s");
    private static final TypeReference<List<Dashboard.Panel>> PANELS = new TypeReference<>() { };

    private final JdbcClient jdbc;
    private final Clock clock;

    DashboardService(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Transactional(readOnly = true)
    public List<Dashboard> visibleTo(String user) {
        return jdbc.sql("select * from dashboards where shared = true or owner = :u order by name, id").param("u", user)
                .query((rs, n) -> map(rs)).list();
    }

    @Transactional(readOnly = true)
    public Dashboard get(long id, String user) {
        Dashboard d = jdbc.sql("select * from dashboards where id = :id").param("id", id).query((rs, n) -> map(rs)).optional()
                .orElseThrow(() -> new NotFoundException("Dashboard", id));
        if (!d.shared() && !d.owner().equals(user)) {
            throw new NotFoundException("Dashboard", id);
        }
        return d;
    }

    @Transactional
    public Dashboard create(String name, boolean shared, List<Dashboard.Panel> panels, String user) {
        validate(name, panels);
        var keys = new GeneratedKeyHolder();
        jdbc.sql("insert into dashboards (name, owner, shared, panels, updated_at) values (:n, :o, :s, :p, :now)")
                .param("n", name.strip()).param("o", user).param("s", shared).param("p", ProtocolJson.mapper().writeValueAsString(panels))
                .param("now", Timestamp.from(clock.instant())).update(keys, "id");
        return get(keys.getKey().longValue(), user);
    }

    @Transactional
    public Dashboard update(long id, String name, boolean shared, List<Dashboard.Panel> panels, String user, boolean admin) {
        Dashboard d = get(id, user);
        requireOwner(d, user, admin);
        validate(name, panels);
        jdbc.sql("update dashboards set name = :n, shared = :s, panels = :p, updated_at = :now where id = :id")
                .param("n", name.strip()).param("s", shared).param("p", ProtocolJson.mapper().writeValueAsString(panels))
                .param("now", Timestamp.from(clock.instant())).param("id", id).update();
        return get(id, user);
    }

    @Transactional
    public void delete(long id, String user, boolean admin) {
        requireOwner(get(id, user), user, admin);
        jdbc.sql("delete from dashboards where id = :id").param("id", id).update();
    }

    private static void requireOwner(Dashboard d, String user, boolean admin) {
        if (!admin && !d.owner().equals(user)) {
            throw new AccessDeniedException("only the owner or an admin changes a dashboard");
        }
    }

    private static void validate(String name, List<Dashboard.Panel> panels) {
        List<FieldViolation> errors = new ArrayList<>();
        if (name == null || name.isBlank() || name.length() > 200) {
            errors.add(new FieldViolation("name", "is required (at most 200 characters)"));
        }
        if (panels == null || panels.isEmpty() || panels.size() > MAX_PANELS) {
            errors.add(new FieldViolation("panels", "one to " + MAX_PANELS + " panels"));
        } else {
            for (int i = 0; i < panels.size(); i++) {
                Dashboard.Panel p = panels.get(i);
                String at = "panels[" + i + "]";
                if (p.title() == null || p.title().isBlank() || p.title().length() > 200) {
                    errors.add(new FieldViolation(at + ".title", "is required"));
                }
                try {
                    SeriesKey key = SeriesKey.parse(p.series() == null ? "" : p.series());
                    String ci = key.labels().get("ci");
                    if (ci == null || !ci.matches("\\d{1,18}")) {
                        errors.add(new FieldViolation(at + ".series", "must name the CI, e.g. cpu_used_percent{ci=\"42\"}"));
                    }
                } catch (IllegalArgumentException e) {
                    errors.add(new FieldViolation(at + ".series", "is not a selector in Prometheus notation"));
                }
                if (p.unit() != null && !UNITS.contains(p.unit())) {
                    errors.add(new FieldViolation(at + ".unit", "must be empty, %, B/s, B or s"));
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
    }

    private static Dashboard map(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Dashboard(rs.getLong("id"), rs.getString("name"), rs.getString("owner"), rs.getBoolean("shared"),
                ProtocolJson.mapper().readValue(rs.getString("panels"), PANELS), rs.getTimestamp("updated_at").toInstant());
    }
}
