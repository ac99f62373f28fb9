package io.opsbase.cmdb;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.opsbase.cmdb.internal.CmdbJson;
import tools.jackson.core.JsonGenerator;

/**
 * Streams every live CI of a class, in id order, as CSV or JSON, reading rows with a fetch size
 * (a server-side cursor on PostgreSQL) so memory does not grow with the class. The CSV has the
 * columns {@link CiImportService} reads — {@code id,name,state,owner_team,tags,<attributes>} — so
 * an export imports straight back as an update. JSON is an array of CIs shaped as
 * {@code GET /api/v1/cis/{id}} answers them.
 */
@Component
class CiExportWriter {

    private static final String ROWS = """
            select id, name, state, owner_team, attributes, created_at, updated_at, version
            from cis where class_id = ? and retired_at is null order by id""";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate readOnly;

    CiExportWriter(DataSource dataSource, PlatformTransactionManager transactions) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.jdbc.setFetchSize(1000);
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
    }

    void csv(CiClass ciClass, OutputStream out) {
        Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
        List<String> header = new ArrayList<>(List.of("id", "name", "state", "owner_team", "tags"));
        ciClass.attributes().forEach(a -> header.add(a.name()));
        write(w, CiImportCsv.line(header) + "\r\n");
        each(ciClass, (ci) -> {
            List<String> cells = new ArrayList<>(header.size());
            cells.add(Long.toString(ci.id()));
            cells.add(ci.name());
            cells.add(ci.state());
            cells.add(ci.ownerTeam());
            cells.add(String.join(" ", ci.tags()));
            for (AttributeDefinition a : ciClass.attributes()) {
                cells.add(cell(ci.attributes().get(a.name())));
            }
            write(w, CiImportCsv.line(cells) + "\r\n");
        });
        write(w, null);
    }

    void json(CiClass ciClass, OutputStream out) {
        try (JsonGenerator g = CmdbJson.MAPPER.createGenerator(out)) {
            g.writeStartArray();
            each(ciClass, ci -> CmdbJson.MAPPER.writeValue(g, ci));
            g.writeEndArray();
        }
    }

    private void each(CiClass ciClass, java.util.function.Consumer<ConfigurationItem> sink) {
        readOnly.executeWithoutResult(status -> {
            Map<Long, List<String>> tags = new HashMap<>();
            jdbc.query("""
                    select t.ci_id, t.tag from ci_tags t join cis c on c.id = t.ci_id
                    where c.class_id = ? and c.retired_at is null order by t.ci_id, t.tag""",
                    (RowCallbackHandler) rs -> tags.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(rs.getString(2)),
                    ciClass.id());
            jdbc.query(ROWS, (RowCallbackHandler) rs -> sink.accept(new ConfigurationItem(rs.getLong(1),
                    ciClass.name(), rs.getString(2), rs.getString(3), CmdbJson.readMap(rs.getString(5)), rs.getString(4),
                    tags.getOrDefault(rs.getLong(1), List.of()), rs.getTimestamp(6).toInstant(),
                    rs.getTimestamp(7).toInstant(), rs.getInt(8), false)), ciClass.id());
        });
    }

    private static String cell(Object value) {
        return switch (value) {
            case null -> "";
            case BigDecimal d -> d.toPlainString();
            default -> value.toString();
        };
    }

    private static void write(Writer w, String text) {
        try {
            if (text == null) {
                w.flush();
            } else {
                w.write(text);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
