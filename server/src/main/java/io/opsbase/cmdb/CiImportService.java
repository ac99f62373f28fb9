package io.opsbase.cmdb;

import java.io.Reader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.opsbase.cmdb.internal.CiRepository;
import io.opsbase.cmdb.internal.CiRepository.StoredCi;
import io.opsbase.cmdb.internal.CiWriter;
import io.opsbase.cmdb.internal.CiWriter.Document;
import io.opsbase.cmdb.internal.ClassRepository;
import io.opsbase.cmdb.internal.CmdbJson;
import io.opsbase.platform.InvalidInputException.FieldViolation;
import io.opsbase.platform.NotFoundException;

/**
 * CSV import into one class. The header names the columns: {@code id} (optional: update that CI
 * instead of creating one), {@code name}, {@code state}, {@code owner_team}, {@code tags} and any
 * attribute of the class. Every row is checked — schema, lifecycle, uniqueness within the class
 * (against the database and the other rows), reference targets — before anything is written; a
 * file with any bad row writes nothing. New CIs go through {@link CiImportWriter} in batches,
 * updated ones through the same writer as {@link CiService#update}; all in one transaction, with
 * source {@code import} in their history.
 */
@Service
public class CiImportService {

    /** Bounds the memory one import holds (every row is checked before any is written). */
    public static final int MAX_ROWS = 200_000;

    private final ClassRepository classes;
    private final CiRepository cis;
    private final CiWriter writer;
    private final CiImportWriter bulk;
    private final JdbcClient jdbc;
    private final ApplicationEventPublisher events;

    CiImportService(ClassRepository classes, CiRepository cis, CiWriter writer, CiImportWriter bulk, JdbcClient jdbc,
            ApplicationEventPublisher events) {
        this.classes = classes;
        this.cis = cis;
        this.writer = writer;
        this.bulk = bulk;
        this.jdbc = jdbc;
        this.events = events;
    }

    /**
     * Checks every row and, unless {@code dryRun} or any row is bad, writes them all. The report
     * lists every bad line; {@code committed} says whether anything was written.
     */
    @Transactional
    public CiImportReport importCsv(String className, Reader csv, boolean dryRun, ChangeContext ctx) {
        CiClass ciClass = classes.findByName(className).orElseThrow(() -> new NotFoundException("Class", className));
        if (!dryRun) {
            // Lock order class → CI → unique-value stripes: the schema holds still until the import
            // commits (schema edits lock the class too). Re-read the class under the lock.
            classes.lock(ciClass.id());
            ciClass = classes.findById(ciClass.id()).orElseThrow();
        }
        List<CiImportReport.LineErrors> errors = new ArrayList<>();
        List<CiImportCsv.Record> records;
        try {
            records = CiImportCsv.read(new java.io.BufferedReader(csv, 1 << 16));
        } catch (CiImportCsv.MalformedCsvException e) {
            errors.add(new CiImportReport.LineErrors(e.line, List.of(new FieldViolation("csv", e.getMessage()))));
            return new CiImportReport(className, dryRun, false, 0, 0, 0, 0, errors);
        }
        if (records.isEmpty()) {
            errors.add(lineError(1, "header", "the file is empty; the first line must name the columns"));
            return new CiImportReport(className, dryRun, false, 0, 0, 0, 0, errors);
        }
        if (records.size() - 1 > MAX_ROWS) {
            errors.add(lineError(MAX_ROWS + 2, "csv", "at most " + MAX_ROWS + " rows per import; split the file"));
            return new CiImportReport(className, dryRun, false, records.size() - 1, 0, 0, 0, errors);
        }
        List<String> header = header(ciClass, records.getFirst(), errors);
        List<CiImportRow.Planned> plans = plan(ciClass, header, records.subList(1, records.size()), !dryRun, errors);
        if (!dryRun) {
            lockUniqueValues(ciClass, plans);
        }
        checkAcrossRows(ciClass, plans, errors);
        errors = byLine(errors);

        List<Document> creates = new ArrayList<>();
        List<CiImportRow.Planned> updates = new ArrayList<>();
        int unchanged = 0;
        Set<Integer> badLines = new HashSet<>();
        errors.forEach(e -> badLines.add(e.line()));
        for (CiImportRow.Planned p : plans) {
            if (p.after() == null || badLines.contains(p.line())) {
                continue;
            }
            if (p.creates()) {
                creates.add(p.after());
            } else if (same(Document.of(p.before().item()), p.after())) {
                unchanged++;
            } else {
                updates.add(p);
            }
        }
        boolean commit = !dryRun && errors.isEmpty();
        if (commit) {
            bulk.createAll(ciClass, creates, ctx);
            for (CiImportRow.Planned p : updates) {
                writer.write(p.before(), ciClass, p.after(), "updated", ctx);
            }
            events.publishEvent(new CiImportCommitted(className, creates.size(), updates.size(), ctx));
        }
        return new CiImportReport(className, dryRun, commit, records.size() - 1, creates.size(), updates.size(), unchanged, errors);
    }

    private static List<String> header(CiClass ciClass, CiImportCsv.Record record, List<CiImportReport.LineErrors> errors) {
        List<String> columns = record.cells().stream().map(String::strip).toList();
        List<FieldViolation> problems = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String column : columns) {
            if (!seen.add(column)) {
                problems.add(new FieldViolation(column, "appears twice in the header"));
            } else if (!CiImportRow.FIELDS.contains(column) && ciClass.attribute(column).isEmpty()) {
                problems.add(new FieldViolation(column, "is neither a CI field (id, name, state, owner_team, tags) nor an attribute of "
                        + ciClass.name()));
            }
        }
        if (!problems.isEmpty()) {
            errors.add(new CiImportReport.LineErrors(record.line(), problems));
        }
        return columns;
    }

    private List<CiImportRow.Planned> plan(CiClass ciClass, List<String> header, List<CiImportCsv.Record> rows,
            boolean lock, List<CiImportReport.LineErrors> errors) {
        List<CiImportRow.Planned> plans = new ArrayList<>(rows.size());
        Map<Long, Integer> idLines = new HashMap<>();
        for (CiImportCsv.Record row : rows) {
            if (row.cells().size() != header.size()) {
                errors.add(lineError(row.line(), "csv", "has " + row.cells().size() + " cells; the header has " + header.size()));
                continue;
            }
            Map<String, String> cells = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                if (CiImportRow.FIELDS.contains(header.get(i)) || ciClass.attribute(header.get(i)).isPresent()) {
                    cells.putIfAbsent(header.get(i), row.cells().get(i));
                }
            }
            StoredCi before = null;
            String idCell = cells.getOrDefault("id", "").strip();
            if (!idCell.isEmpty()) {
                String problem = null;
                try {
                    long id = Long.parseLong(idCell);
                    before = (lock ? cis.findForUpdate(id) : cis.find(id)).orElse(null);
                    Integer earlier = idLines.putIfAbsent(id, row.line());
                    if (before == null) {
                        problem = "no CI has id " + id;
                    } else if (before.classId() != ciClass.id()) {
                        problem = "CI " + id + " is a " + before.item().className() + ", not a " + ciClass.name();
                    } else if (before.retiredAt() != null) {
                        problem = "CI " + id + " is retired and accepts no changes";
                    } else if (earlier != null) {
                        problem = "CI " + id + " is already updated by line " + earlier;
                    }
                } catch (NumberFormatException e) {
                    problem = "must be the id of an existing " + ciClass.name() + ", or empty to create one";
                }
                if (problem != null) {
                    errors.add(lineError(row.line(), "id", problem));
                    continue;
                }
            }
            CiImportRow.Planned planned = CiImportRow.plan(row.line(), ciClass, cells, before);
            if (!planned.errors().isEmpty()) {
                errors.add(new CiImportReport.LineErrors(row.line(), planned.errors()));
            }
            plans.add(planned);
        }
        return plans;
    }

    /**
     * Locks the stripe of every unique value the file sets or changes, as {@link CiService} does
     * for single writes, so the uniqueness check below sees every concurrent writer of them.
     */
    private void lockUniqueValues(CiClass ciClass, List<CiImportRow.Planned> plans) {
        List<String> keys = new ArrayList<>();
        for (AttributeDefinition attribute : ciClass.attributes()) {
            if (!attribute.unique()) {
                continue;
            }
            for (CiImportRow.Planned p : plans) {
                Object value = p.after() == null ? null : p.after().attributes().get(attribute.name());
                Object old = p.creates() ? null : p.before().item().attributes().get(attribute.name());
                if (value != null && (old == null || !CiWriter.indexText(old).equals(CiWriter.indexText(value)))) {
                    keys.add(ClassRepository.uniqueValueKey(ciClass.id(), attribute.name(), CiWriter.indexText(value)));
                }
            }
        }
        classes.lockUniqueValues(keys);
    }

    /** Uniqueness within the class and reference targets, for all rows at once. */
    private void checkAcrossRows(CiClass ciClass, List<CiImportRow.Planned> plans, List<CiImportReport.LineErrors> errors) {
        Map<Integer, List<FieldViolation>> found = new LinkedHashMap<>();
        for (AttributeDefinition attribute : ciClass.attributes()) {
            if (attribute.unique()) {
                checkUnique(ciClass, attribute, plans, found);
            }
            if (attribute.type() == AttributeType.REFERENCE) {
                Set<Long> live = classes.findByName(attribute.refClass())
                        .map(c -> Set.copyOf(cis.liveIdsOfClass(c.id()))).orElse(Set.of());
                for (CiImportRow.Planned p : plans) {
                    Object value = p.after() == null ? null : p.after().attributes().get(attribute.name());
                    if (value != null && !live.contains(((Number) value).longValue())) {
                        found.computeIfAbsent(p.line(), k -> new ArrayList<>()).add(new FieldViolation(attribute.name(),
                                "no live " + attribute.refClass() + " has id " + value));
                    }
                }
            }
        }
        found.forEach((line, violations) -> errors.add(new CiImportReport.LineErrors(line, violations)));
    }

    private void checkUnique(CiClass ciClass, AttributeDefinition attribute, List<CiImportRow.Planned> plans,
            Map<Integer, List<FieldViolation>> found) {
        Map<String, Long> holders = new HashMap<>();
        jdbc.sql("""
                select v.text_value, v.ci_id from ci_values v join cis c on c.id = v.ci_id
                where v.name = :name and c.class_id = :classId and c.retired_at is null""")
                .param("name", attribute.name()).param("classId", ciClass.id())
                .query(rs -> {
                    holders.put(rs.getString(1), rs.getLong(2));
                });
        // CIs this file updates give up their current value: it may move to another row.
        for (CiImportRow.Planned p : plans) {
            if (!p.creates() && p.after() != null) {
                Object old = p.before().item().attributes().get(attribute.name());
                if (old != null) {
                    holders.remove(CiWriter.indexText(old), p.before().item().id());
                }
            }
        }
        Map<String, Integer> fileLines = new HashMap<>();
        for (CiImportRow.Planned p : plans) {
            Object value = p.after() == null ? null : p.after().attributes().get(attribute.name());
            if (value == null) {
                continue;
            }
            String text = CiWriter.indexText(value);
            Integer earlier = fileLines.putIfAbsent(text, p.line());
            Long holder = holders.get(text);
            String problem = earlier != null ? "must be unique within " + ciClass.name() + "; line " + earlier + " has it too"
                    : holder != null ? "must be unique within " + ciClass.name() + "; CI " + holder + " has it" : null;
            if (problem != null) {
                found.computeIfAbsent(p.line(), k -> new ArrayList<>()).add(new FieldViolation(attribute.name(), problem));
            }
        }
    }

    /** One entry per line, in line order. */
    private static List<CiImportReport.LineErrors> byLine(List<CiImportReport.LineErrors> errors) {
        Map<Integer, List<FieldViolation>> merged = new java.util.TreeMap<>();
        errors.forEach(e -> merged.computeIfAbsent(e.line(), k -> new ArrayList<>()).addAll(e.errors()));
        return merged.entrySet().stream().map(e -> new CiImportReport.LineErrors(e.getKey(), List.copyOf(e.getValue()))).toList();
    }

    private static boolean same(Document a, Document b) {
        return a.name().equals(b.name()) && a.state().equals(b.state())
                && java.util.Objects.equals(a.ownerTeam(), b.ownerTeam()) && a.tags().equals(b.tags())
                && CmdbJson.same(a.attributes(), b.attributes());
    }

    private static CiImportReport.LineErrors lineError(int line, String field, String message) {
        return new CiImportReport.LineErrors(line, List.of(new FieldViolation(field, message)));
    }
}
