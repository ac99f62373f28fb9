package io.opsbase.monitoring.internal;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import io.opsbase.metrics.SeriesId;
import io.opsbase.metrics.SeriesKey;
import io.opsbase.monitoring.SeriesInfo;

/**
 * Which series belong to which CI, in the relational database ({@code monitoring_series}), so a
 * host page can list its series and a selector can be resolved without scanning the store's index.
 * A series is written once, the first time it is seen; the set of ids already written is kept in
 * memory. Thread-safe.
 */
@Component
public class SeriesCatalog {

    private final JdbcClient jdbc;
    private final ConcurrentHashMap<Integer, Boolean> known = new ConcurrentHashMap<>();

    SeriesCatalog(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void remember(SeriesId id, SeriesKey key, long ciId) {
        if (known.containsKey(id.value())) {
            return;
        }
        try {
            jdbc.sql("insert into monitoring_series (series_id, ci_id, name, series) values (?, ?, ?, ?)")
                    .params(id.value(), ciId, key.name(), key.format()).update();
        } catch (DuplicateKeyException e) {
            // Another consumer, or an earlier run, wrote it.
        }
        known.put(id.value(), Boolean.TRUE);
    }

    /** Every series of a metric name (of one CI when {@code ciId} is given), ordered by their text. */
    public List<SeriesInfo> named(String name, Long ciId) {
        var sql = jdbc.sql("select ci_id, series from monitoring_series where name = :name"
                + (ciId == null ? "" : " and ci_id = :ci") + " order by series").param("name", name);
        if (ciId != null) {
            sql = sql.param("ci", ciId);
        }
        return sql.query((rs, n) -> {
            SeriesKey key = SeriesKey.parse(rs.getString("series"));
            return new SeriesInfo(key.format(), key.name(), key.labels(), rs.getLong("ci_id"));
        }).list();
    }

    /** The series of one CI, optionally of one metric name, ordered by their text. */
    public List<SeriesInfo> ofCi(long ciId, String name) {
        var sql = jdbc.sql("select series_id, series from monitoring_series where ci_id = :ci"
                + (name == null ? "" : " and name = :name") + " order by series")
                .param("ci", ciId);
        if (name != null) {
            sql = sql.param("name", name);
        }
        return sql.query((rs, n) -> {
            SeriesKey key = SeriesKey.parse(rs.getString("series"));
            return new SeriesInfo(key.format(), key.name(), key.labels(), ciId);
        }).list();
    }
}
