package io.opsbase.cmdb;

import java.util.List;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import io.opsbase.cmdb.internal.CiRepository;
import io.opsbase.cmdb.internal.CiWriter;
import io.opsbase.cmdb.internal.CmdbJson;
import io.opsbase.cmdb.internal.HistoryRepository;
import io.opsbase.platform.BadRequestException;
import io.opsbase.platform.NotFoundException;
import io.opsbase.platform.Page;
import io.opsbase.platform.RequestIds;

/**
 * The CMDB history: reading a CI's timeline and the global feed, and recording changes that are
 * not part of the CI document (relations, and anything else another part of the CMDB changes).
 * CI document changes are recorded by {@link CiService} itself.
 */
@Service
public class CiHistory {

    static final int MAX_LIMIT = 500;

    private final HistoryRepository history;
    private final CiRepository cis;
    private final CiWriter writer;

    CiHistory(HistoryRepository history, CiRepository cis, CiWriter writer) {
        this.history = history;
        this.cis = cis;
        this.writer = writer;
    }

    /**
     * Appends one history row in the caller's transaction (it must have one, so the row commits or
     * rolls back with the change it describes). Does not publish an event: the caller publishes
     * its own {@link io.opsbase.audit.Auditable} event (e.g. {@link CiChanged}) for the change.
     *
     * @param changeKind e.g. {@code relation}, {@code component}; at most 16 characters
     * @param field      e.g. {@code relation.depends_on->42}
     * @param before     any value Jackson can write as JSON, or null when absent
     * @param after      likewise
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void record(long ciId, String changeKind, String field, Object before, Object after, ChangeContext ctx) {
        if (changeKind == null || changeKind.isBlank() || changeKind.length() > 16) {
            throw new IllegalArgumentException("changeKind must be 1-16 characters");
        }
        if (field == null || field.isBlank()) {
            throw new IllegalArgumentException("field is required");
        }
        if (cis.find(ciId).isEmpty()) {
            throw new NotFoundException("CI", ciId);
        }
        history.append(new HistoryRepository.NewRow(ciId, writer.now(), ctx.actor(), ctx.source(), ctx.reason(),
                RequestIds.current(), changeKind, field, CmdbJson.write(before), CmdbJson.write(after), null));
    }

    /** A CI's history, newest first; {@code cursor} is the {@code next} of the previous page. */
    @Transactional(readOnly = true)
    public Page<HistoryEntry> forCi(long ciId, String cursor, int limit) {
        if (cis.find(ciId).isEmpty()) {
            throw new NotFoundException("CI", ciId);
        }
        int size = checkLimit(limit);
        List<HistoryEntry> rows = history.forCi(ciId, cursor == null ? null : parseCursor(cursor), size + 1);
        return page(rows, size, history.countForCi(ciId));
    }

    /**
     * Every change to every CI, oldest first, after the history id {@code after} (0 or null: from
     * the beginning). Integrations poll it with the last id they processed.
     */
    @Transactional(readOnly = true)
    public Page<HistoryEntry> feed(String after, int limit) {
        int size = checkLimit(limit);
        List<HistoryEntry> rows = history.feed(after == null ? 0 : parseCursor(after), size + 1);
        return page(rows, size, null);
    }

    private static Page<HistoryEntry> page(List<HistoryEntry> rows, int size, Long total) {
        boolean more = rows.size() > size;
        List<HistoryEntry> items = more ? rows.subList(0, size) : rows;
        return new Page<>(List.copyOf(items), more ? Long.toString(items.getLast().id()) : null, total);
    }

    private static int checkLimit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new BadRequestException("limit must be between 1 and " + MAX_LIMIT);
        }
        return limit;
    }

    private static long parseCursor(String cursor) {
        try {
            long id = Long.parseLong(cursor);
            if (id < 0) {
                throw new NumberFormatException();
            }
            return id;
        } catch (NumberFormatException e) {
            throw new BadRequestException("cursor '" + cursor + "' is not a history cursor");
        }
    }
}
