package io.opsbase.cmdb;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.opsbase.cmdb.internal.AttributeValidator;
import io.opsbase.cmdb.internal.CiRepository;
import io.opsbase.cmdb.internal.CiRepository.StoredCi;
import io.opsbase.cmdb.internal.CiWriter;
import io.opsbase.cmdb.internal.CiWriter.Document;
import io.opsbase.cmdb.internal.ClassRepository;
import io.opsbase.cmdb.internal.HistoryRepository;
import io.opsbase.platform.ConflictException;
import io.opsbase.platform.InvalidInputException;
import io.opsbase.platform.InvalidInputException.FieldViolation;
import io.opsbase.platform.NotFoundException;
import io.opsbase.platform.PreconditionFailedException;

/**
 * The CMDB's face for configuration items: create, read (now or as of an instant), merge-patch,
 * lifecycle transitions and retirement. Every write validates first and then writes the CI, its
 * search index, its history and a {@link CiChanged} event in one transaction, so a rejected call
 * changes nothing.
 */
@Service
public class CiService {

    private final CiRepository cis;
    private final ClassRepository classes;
    private final HistoryRepository history;
    private final CiWriter writer;

    CiService(CiRepository cis, ClassRepository classes, HistoryRepository history, CiWriter writer) {
        this.cis = cis;
        this.classes = classes;
        this.history = history;
        this.writer = writer;
    }

    @Transactional
    public ConfigurationItem create(CreateCi request, ChangeContext ctx) {
        Prepared prepared = prepare(request, new HashMap<>());
        if (!prepared.violations().isEmpty()) {
            throw new InvalidInputException(prepared.violations());
        }
        lockUniqueValues(List.of(prepared));
        List<FieldViolation> taken = checkConstraints(prepared);
        if (!taken.isEmpty()) {
            throw new InvalidInputException(taken);
        }
        return writer.create(prepared.ciClass(), prepared.document(), ctx);
    }

    /**
     * Creates every CI or none: all requests are validated first — including unique values
     * repeated within the batch — and any problem fails the whole call with one 422 whose fields
     * are prefixed with the request's index ({@code [3].attributes.serial_number}). Each class is
     * looked up once and the unique values of all requests are locked together, so this is the
     * fast path for imports.
     */
    @Transactional
    public List<ConfigurationItem> createAll(List<CreateCi> requests, ChangeContext ctx) {
        Map<String, Optional<CiClass>> classCache = new HashMap<>();
        Map<String, Integer> uniqueSeen = new HashMap<>();
        List<Prepared> prepared = new ArrayList<>(requests.size());
        List<FieldViolation> violations = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            Prepared p = prepare(requests.get(i), classCache);
            String prefix = "[" + i + "].";
            p.violations().forEach(v -> violations.add(new FieldViolation(prefix + v.field(), v.message())));
            if (p.violations().isEmpty()) {
                for (AttributeDefinition a : p.ciClass().attributes()) {
                    Object value = p.document().attributes().get(a.name());
                    if (a.unique() && value != null) {
                        Integer first = uniqueSeen.putIfAbsent(p.ciClass().name() + "\u0000" + a.name() + "\u0000"
                                + CiWriter.indexText(value), i);
                        if (first != null) {
                            violations.add(new FieldViolation(prefix + "attributes." + a.name(),
                                    "must be unique within " + p.ciClass().name() + "; request [" + first + "] has it too"));
                        }
                    }
                }
            }
            prepared.add(p);
        }
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        lockUniqueValues(prepared);
        for (int i = 0; i < prepared.size(); i++) {
            String prefix = "[" + i + "].";
            checkConstraints(prepared.get(i)).forEach(v -> violations.add(new FieldViolation(prefix + v.field(), v.message())));
        }
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        List<ConfigurationItem> created = new ArrayList<>(prepared.size());
        for (Prepared p : prepared) {
            created.add(writer.create(p.ciClass(), p.document(), ctx));
        }
        return created;
    }

    /**
     * Everything {@link #create} would reject {@code request} for, without writing anything:
     * for dry runs (CSV import) and forms. Empty when create would succeed now. Uniqueness is
     * checked against stored CIs only, not against other rows of the same batch.
     */
    @Transactional(readOnly = true)
    public List<FieldViolation> validate(CreateCi request) {
        Prepared prepared = prepare(request, new HashMap<>());
        return prepared.violations().isEmpty() ? checkConstraints(prepared) : prepared.violations();
    }

    private record Prepared(CiClass ciClass, Document document, List<FieldViolation> violations) {
    }

    /**
     * Validates the request on its own, without reading other CIs: {@link #checkConstraints} does
     * that, after {@link #lockUniqueValues} when writing.
     *
     * @param classCache classes already looked up in this transaction
     */
    private Prepared prepare(CreateCi request, Map<String, Optional<CiClass>> classCache) {
        List<FieldViolation> violations = new ArrayList<>();
        CiClass ciClass = request.className() == null ? null
                : classCache.computeIfAbsent(request.className(), classes::findByName).orElse(null);
        if (ciClass == null) {
            violations.add(new FieldViolation("class", request.className() == null ? "is required"
                    : "no class is named " + request.className()));
        }
        String name = CiFields.name(request.name(), violations);
        String owner = CiFields.ownerTeam(request.ownerTeam(), violations);
        List<String> tags = CiFields.tags(request.tags(), violations);
        if (ciClass == null) {
            return new Prepared(null, null, violations);
        }
        String state = request.state() == null ? ciClass.lifecycle().initial() : request.state();
        if (!ciClass.lifecycle().hasState(state)) {
            violations.add(new FieldViolation("state", "must be one of " + String.join(", ", ciClass.lifecycle().states())));
        }
        var result = AttributeValidator.apply(ciClass, Map.of(), request.attributes(), true);
        violations.addAll(result.violations());
        return new Prepared(ciClass, new Document(name, state, owner, tags, result.attributes(), false), violations);
    }

    /** The names of the CIs with these ids (at most a few thousand), retired or not; unknown ids are left out. */
    @Transactional(readOnly = true)
    public java.util.Map<Long, String> names(java.util.Collection<Long> ids) {
        return cis.names(ids);
    }

    private List<FieldViolation> checkConstraints(Prepared p) {
        return writer.checkConstraints(p.ciClass(), 0, p.document().attributes(), p.document().attributes().keySet());
    }

    private void lockUniqueValues(List<Prepared> prepared) {
        List<String> keys = new ArrayList<>();
        for (Prepared p : prepared) {
            keys.addAll(uniqueValueKeys(p.ciClass(), Map.of(), p.document().attributes()));
        }
        classes.lockUniqueValues(keys);
    }

    /**
     * The CIs with these ids, retired or not, in the order asked; unknown ids are left out. One
     * query per 1,000 ids (a job's targets, a policy's target conditions), not one per CI.
     */
    @Transactional(readOnly = true)
    public List<ConfigurationItem> getAll(List<Long> ids) {
        List<ConfigurationItem> out = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i += 1000) {
            out.addAll(cis.findAll(ids.subList(i, Math.min(ids.size(), i + 1000))));
        }
        return out;
    }

    /** The CI, retired or not. */
    @Transactional(readOnly = true)
    public ConfigurationItem get(long id) {
        return cis.find(id).map(StoredCi::item).orElseThrow(() -> new NotFoundException("CI", id));
    }

    /**
     * The CI as it was at {@code at}, rebuilt by undoing, newest first, every recorded change made
     * after it. 404 when the CI did not exist yet.
     */
    @Transactional(readOnly = true)
    public ConfigurationItem getAt(long id, Instant at) {
        ConfigurationItem now = get(id);
        Map<String, Object> attributes = new LinkedHashMap<>(now.attributes());
        String name = now.name();
        String state = now.state();
        String owner = now.ownerTeam();
        List<String> tags = now.tags();
        boolean retired = now.retired();
        int version = now.version();
        for (HistoryEntry change : history.documentChangesAfter(id, at)) {
            var before = change.before();
            switch (change.field()) {
                case "ci" -> throw new NotFoundException("CI " + id + " at", at);
                case "name" -> name = before.asString();
                case "state" -> state = before.asString();
                case "ownerTeam" -> owner = before == null || before.isNull() ? null : before.asString();
                case "tags" -> tags = before == null ? List.of() : before.valueStream().map(t -> t.asString()).toList();
                case "retired" -> retired = before != null && before.asBoolean();
                default -> {
                    if (!change.field().startsWith("attributes.")) {
                        continue;
                    }
                    String attribute = change.field().substring("attributes.".length());
                    if (before == null || before.isNull()) {
                        attributes.remove(attribute);
                    } else {
                        attributes.put(attribute, io.opsbase.cmdb.internal.CmdbJson.MAPPER.treeToValue(before, Object.class));
                    }
                }
            }
            version = Math.min(version, change.ciVersion() - 1);
        }
        Instant updatedAt = history.lastDocumentChangeAtOrBefore(id, at).orElse(now.createdAt());
        return new ConfigurationItem(id, now.className(), name, state, attributes, owner, tags, now.createdAt(),
                updatedAt, version, retired);
    }

    /**
     * Applies a JSON merge patch (RFC 7396) to the CI: {@code name}, {@code ownerTeam}, {@code tags}
     * and {@code attributes} (merged per attribute; null removes one). The state changes only by
     * {@link #transition}; class, id and timestamps never change.
     *
     * @param expectedVersion the caller's {@code If-Match}, or null to skip the check
     */
    @Transactional
    public ConfigurationItem update(long id, Map<String, Object> mergePatch, Integer expectedVersion, ChangeContext ctx) {
        // A CI never changes class, so reading it unlocked to find the class is safe.
        CiClass ciClass = classOf(cis.find(id).orElseThrow(() -> new NotFoundException("CI", id)));
        StoredCi before = lockLive(id, expectedVersion);
        ConfigurationItem old = before.item();
        var patch = CiFields.readPatch(mergePatch);
        List<FieldViolation> violations = new ArrayList<>(patch.violations());
        String name = patch.has("name") ? CiFields.name((String) patch.value("name"), violations) : old.name();
        String owner = patch.has("ownerTeam") ? CiFields.ownerTeam((String) patch.value("ownerTeam"), violations) : old.ownerTeam();
        List<String> tags = patch.has("tags") ? CiFields.tags(patch.tags(), violations) : old.tags();
        var result = AttributeValidator.apply(ciClass, old.attributes(), patch.attributes(), false);
        violations.addAll(result.violations());
        if (violations.isEmpty()) {
            // Only a unique value this write sets or changes needs its stripe; a value the CI
            // already holds no other CI could have taken, and a write changing no unique value
            // (discovery's DIMMs, disks, OS) locks nothing beyond its own CI row.
            classes.lockUniqueValues(uniqueValueKeys(ciClass, old.attributes(), result.attributes()));
            Set<String> changed = new HashSet<>(patch.attributes().keySet());
            violations.addAll(writer.checkConstraints(ciClass, id, result.attributes(), changed));
        }
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        writer.write(before, ciClass, new Document(name, old.state(), owner, tags, result.attributes(), false), "updated", ctx);
        return get(id);
    }

    /**
     * Moves the CI along its class lifecycle. An illegal move is a 409 whose {@code allowed}
     * property lists the states the CI may go to.
     */
    @Transactional
    public ConfigurationItem transition(long id, String to, Integer expectedVersion, ChangeContext ctx) {
        StoredCi before = lockLive(id, expectedVersion);
        CiClass ciClass = classOf(before);
        String from = before.item().state();
        Lifecycle lifecycle = ciClass.lifecycle();
        if (to == null || to.isBlank()) {
            throw new InvalidInputException("to", "is required");
        }
        if (!lifecycle.permits(from, to)) {
            List<String> allowed = lifecycle.allowed(from);
            Map<String, Object> properties = new LinkedHashMap<>();
            properties.put("from", from);
            properties.put("to", to);
            properties.put("allowed", allowed);
            throw new ConflictException("illegal-transition", "A " + ciClass.name() + " cannot go from " + from + " to " + to
                    + (allowed.isEmpty() ? "; " + from + " is final" : "; allowed: " + String.join(", ", allowed)), properties);
        }
        writer.write(before, ciClass, Document.of(before.item()).withState(to), "transition", ctx);
        return get(id);
    }

    /**
     * Retires the CI (DELETE): it leaves lists and searches and accepts no more changes, but keeps
     * its id, state and history and can still be read. Retiring a retired CI changes nothing.
     */
    @Transactional
    public ConfigurationItem retire(long id, Integer expectedVersion, ChangeContext ctx) {
        StoredCi before = cis.findForUpdate(id).orElseThrow(() -> new NotFoundException("CI", id));
        checkVersion(before, expectedVersion);
        if (before.retiredAt() == null) {
            writer.write(before, classOf(before), Document.of(before.item()).retire(), "retired", ctx);
        }
        return get(id);
    }

    /**
     * Unique-within-class checks read other CIs' values: without a lock two writers could both
     * see a value as free. Each write locks the stripe of every unique value it sets or changes
     * ({@link ClassRepository#lockUniqueValues}) before checking, so two writers of one value take
     * turns and the second sees the first's; writers of different values proceed together. (The
     * class row lock did this before and made every write of a class with any unique attribute
     * wait for the others.) Schema edits still lock the class row; an attribute cannot become
     * unique after it was added, so no CI write has to wait for one to check uniqueness.
     */
    private static List<String> uniqueValueKeys(CiClass ciClass, Map<String, Object> before, Map<String, Object> after) {
        List<String> keys = new ArrayList<>();
        for (AttributeDefinition a : ciClass.attributes()) {
            Object value = after.get(a.name());
            if (a.unique() && value != null) {
                String text = CiWriter.indexText(value);
                Object old = before.get(a.name());
                if (old == null || !CiWriter.indexText(old).equals(text)) {
                    keys.add(ClassRepository.uniqueValueKey(ciClass.id(), a.name(), text));
                }
            }
        }
        return keys;
    }

    private StoredCi lockLive(long id, Integer expectedVersion) {
        StoredCi before = cis.findForUpdate(id).orElseThrow(() -> new NotFoundException("CI", id));
        checkVersion(before, expectedVersion);
        if (before.retiredAt() != null) {
            throw new ConflictException("ci-retired", "CI " + id + " is retired and accepts no changes");
        }
        return before;
    }

    private static void checkVersion(StoredCi ci, Integer expectedVersion) {
        if (expectedVersion != null && expectedVersion != ci.item().version()) {
            throw new PreconditionFailedException("CI " + ci.item().id() + " is at version " + ci.item().version()
                    + ", not " + expectedVersion);
        }
    }

    private CiClass classOf(StoredCi ci) {
        return classes.findById(ci.classId()).orElseThrow();
    }
}
