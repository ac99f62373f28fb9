package io.opsbase.cmdb;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import io.opsbase.cmdb.internal.CiRepository;
import io.opsbase.cmdb.internal.CiWriter;
import io.opsbase.cmdb.internal.CmdbJson;
import io.opsbase.platform.RequestIds;

/**
 * The bulk path for creating many CIs at once (CSV import, the demo estate): multi-row batched
 * inserts instead of one statement per row, a few hundred rows per statement.
 *
 * <p>It writes exactly what {@link CiWriter#create} writes for each CI — the cis row at version 1,
 * one ci_values row per attribute and the search_text (both made by {@link CiWriter#index} and
 * {@link CiWriter#searchText}, which own those rules), the ci_tags rows and one {@code created}
 * history row holding the whole document — so a bulk-created
 * CI cannot be told from one created through {@link CiService}. {@code CiImportApiTest} holds the
 * two side by side. It does not publish one {@link CiChanged} per CI: the caller publishes one
 * audited event for the whole batch.
 *
 * <p>Callers validate first (as {@link CiService#create} does); nothing here checks the class schema.
 */
@Component
public class CiImportWriter {

    private static final int ROWS_PER_STATEMENT = 400;

    private final JdbcTemplate jdbc;
    private final CiWriter writer;

    CiImportWriter(JdbcTemplate jdbc, CiWriter writer) {
        this.jdbc = jdbc;
        this.writer = writer;
    }

    /**
     * Creates one CI per document, in order, in the caller's transaction; returns their new ids in
     * the same order. Documents must already be valid for {@code ciClass}.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public List<Long> createAll(CiClass ciClass, List<CiWriter.Document> documents, ChangeContext ctx) {
        if (documents.isEmpty()) {
            return List.of();
        }
        Timestamp now = Timestamp.from(writer.now());
        List<Object[]> ciRows = new ArrayList<>(documents.size());
        for (CiWriter.Document doc : documents) {
            ciRows.add(new Object[] {ciClass.id(), doc.name(), doc.state(), doc.ownerTeam(),
                    CmdbJson.write(doc.attributes()), CiWriter.searchText(ciClass, doc), 1, now, now});
        }
        return jdbc.execute((ConnectionCallback<List<Long>>) con -> {
            List<Long> ids = insert(con, "cis", new String[] {"class_id", "name", "state", "owner_team", "attributes",
                    "search_text", "version", "created_at", "updated_at"}, ciRows, true);
            List<Object[]> values = new ArrayList<>();
            List<Object[]> tags = new ArrayList<>();
            List<Object[]> history = new ArrayList<>(documents.size());
            for (int i = 0; i < documents.size(); i++) {
                CiWriter.Document doc = documents.get(i);
                long id = ids.get(i);
                indexRows(ciClass, id, doc.attributes(), values);
                for (String tag : doc.tags()) {
                    tags.add(new Object[] {id, tag});
                }
                history.add(new Object[] {id, now, ctx.actor(), ctx.source(), ctx.reason(), RequestIds.current(),
                        "created", "ci", null, CmdbJson.write(doc.asMap()), 1});
            }
            insert(con, "ci_values", new String[] {"ci_id", "name", "text_value", "num_value", "time_value"}, values, false);
            insert(con, "ci_tags", new String[] {"ci_id", "tag"}, tags, false);
            insert(con, "ci_history", new String[] {"ci_id", "changed_at", "actor", "source", "reason", "request_id",
                    "change_kind", "field", "before_value", "after_value", "ci_version"}, history, false);
            return ids;
        });
    }

    private static List<Long> insert(Connection con, String table, String[] columns, List<Object[]> rows,
            boolean returnIds) throws SQLException {
        List<Long> ids = new ArrayList<>(returnIds ? rows.size() : 0);
        String tuple = "(" + "?,".repeat(columns.length - 1) + "?)";
        String head = "insert into " + table + " (" + String.join(", ", columns) + ") values ";
        String fullSql = head + (tuple + ",").repeat(ROWS_PER_STATEMENT - 1) + tuple;
        PreparedStatement full = null;
        try {
            for (int from = 0; from < rows.size(); from += ROWS_PER_STATEMENT) {
                int n = Math.min(ROWS_PER_STATEMENT, rows.size() - from);
                PreparedStatement ps;
                if (n == ROWS_PER_STATEMENT) {
                    if (full == null) {
                        full = returnIds ? con.prepareStatement(fullSql, new String[] {"id"}) : con.prepareStatement(fullSql);
                    }
                    ps = full;
                } else {
                    String sql = head + (tuple + ",").repeat(n - 1) + tuple;
                    ps = returnIds ? con.prepareStatement(sql, new String[] {"id"}) : con.prepareStatement(sql);
                }
                int p = 1;
                for (int r = from; r < from + n; r++) {
                    for (Object value : rows.get(r)) {
                        ps.setObject(p++, value);
                    }
                }
                ps.executeUpdate();
                if (returnIds) {
                    try (ResultSet keys = ps.getGeneratedKeys()) {
                        while (keys.next()) {
                            ids.add(keys.getLong(1));
                        }
                    }
                }
                if (ps != full) {
                    ps.close();
                }
            }
        } finally {
            if (full != null) {
                full.close();
            }
        }
        if (returnIds && ids.size() != rows.size()) {
            throw new IllegalStateException("the database returned " + ids.size() + " keys for " + rows.size() + " rows");
        }
        return ids;
    }

    /** The ci_values rows of one CI, exactly as {@link CiWriter#index} makes them. */
    private static void indexRows(CiClass ciClass, long id, Map<String, Object> attributes, List<Object[]> rows) {
        for (CiRepository.IndexedValue v : CiWriter.index(ciClass, attributes)) {
            rows.add(new Object[] {id, v.name(), v.text(), v.number(), v.time() == null ? null : Timestamp.from(v.time())});
        }
    }
}
