package io.opsbase.cmdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.IllegalTransactionStateException;
import org.springframework.transaction.support.TransactionTemplate;

import io.opsbase.cmdb.internal.ClassRepository;
import io.opsbase.platform.InvalidInputException;

/**
 * The CMDB's storage on the real engine — H2 by default, PostgreSQL with
 * {@code -Dopsbase.test.db=postgres}: the search companions stay in sync, history joins the
 * caller's transaction, ids are never reused, and the facades other features call behave.
 */
@SpringBootTest
class CmdbRepositoryTest {

    @Autowired
    CiService cis;

    @Autowired
    CiHistory history;

    @Autowired
    CiComponents components;

    @Autowired
    ClassRepository classes;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate tx;

    static final ChangeContext API = ChangeContext.api("tester", null);

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    ConfigurationItem server(Map<String, Object> attributes, List<String> tags) {
        return cis.create(new CreateCi("Server", unique("srv"), attributes, "ops", tags, null), API);
    }

    @Test
    void seedsTheNineBuiltInClassesWithValidLifecycles() {
        List<CiClass> all = classes.findAll();
        assertThat(all).filteredOn(CiClass::builtin).extracting(CiClass::name).containsExactlyInAnyOrder("Datacenter", "Rack",
                "Server", "VirtualMachine", "NetworkDevice", "StorageDevice", "Application", "Database", "BusinessService");
        assertThat(all).allSatisfy(c -> assertThat(c.lifecycle().problems()).as(c.name()).isEmpty());
        assertThat(all).filteredOn(CiClass::hardware).extracting(CiClass::name)
                .contains("Server", "NetworkDevice", "StorageDevice");
    }

    @Test
    @SuppressWarnings("unchecked")
    void keepsValuesTagsAndSearchTextInSyncOnEveryWrite() {
        ConfigurationItem ci = server(Map.of("cpu_count", 8, "memory_gb", 15.5, "purchase_date", "2025-01-02",
                "ip_address", "192.0.2.10", "serial_number", "AbC-123"), List.of("b", "a"));
        long id = ci.id();
        assertThat((BigDecimal) value(id, "cpu_count", "num_value")).isEqualByComparingTo("8");
        assertThat(new BigDecimal(value(id, "memory_gb", "num_value").toString())).isEqualByComparingTo("15.5");
        assertThat(timeValue(id, "purchase_date")).isEqualTo(Instant.parse("2025-01-02T00:00:00Z"));
        assertThat(value(id, "serial_number", "text_value")).isEqualTo("abc-123");
        assertThat(tags(id)).containsExactly("a", "b");
        assertThat(searchText(id)).contains(ci.name().toLowerCase()).contains("192.0.2.10").contains("abc-123");

        Map<String, Object> patch = new LinkedHashMap<>();
        patch.put("attributes", new LinkedHashMap<>(Map.of("cpu_count", 16)));
        ((Map<String, Object>) patch.get("attributes")).put("serial_number", null);
        patch.put("tags", List.of("c"));
        cis.update(id, patch, 1, API);
        assertThat((BigDecimal) value(id, "cpu_count", "num_value")).isEqualByComparingTo("16");
        assertThat(jdbc.sql("select count(*) from ci_values where ci_id = :id and name = 'serial_number'").param("id", id)
                .query(Long.class).single()).isZero();
        // Only the changed attributes' rows are rewritten; the others stay, once each.
        assertThat(new BigDecimal(value(id, "memory_gb", "num_value").toString())).isEqualByComparingTo("15.5");
        assertThat(timeValue(id, "purchase_date")).isEqualTo(Instant.parse("2025-01-02T00:00:00Z"));
        assertThat(jdbc.sql("select name from ci_values where ci_id = :id order by name").param("id", id)
                .query(String.class).list()).containsExactly("cpu_count", "env", "ip_address", "memory_gb", "purchase_date");
        assertThat(tags(id)).containsExactly("c");
        assertThat(searchText(id)).doesNotContain("abc-123");
    }

    @Test
    void validateReportsWhatCreateWouldRejectWithoutWriting() {
        String serial = unique("SN");
        server(Map.of("serial_number", serial), List.of());
        long cisBefore = jdbc.sql("select count(*) from cis").query(Long.class).single();
        var violations = cis.validate(new CreateCi("Server", "", Map.of("serial_number", serial), null, null, "nowhere"));
        assertThat(violations).extracting(InvalidInputException.FieldViolation::field).containsExactlyInAnyOrder("name", "state");
        assertThat(cis.validate(CreateCi.of("Server", "ok", Map.of("serial_number", serial))))
                .extracting(InvalidInputException.FieldViolation::field).containsExactly("attributes.serial_number");
        assertThat(cis.validate(CreateCi.of("Server", "ok", Map.of("cpu_count", 2)))).isEmpty();
        assertThat(jdbc.sql("select count(*) from cis").query(Long.class).single()).isEqualTo(cisBefore);
    }

    @Test
    void createAllWritesEveryCiOrNoneAndCatchesDuplicatesWithinTheBatch() {
        String serial = unique("SN");
        long cisBefore = jdbc.sql("select count(*) from cis").query(Long.class).single();
        var batch = List.of(CreateCi.of("Server", "a", Map.of("serial_number", serial)),
                CreateCi.of("Rack", "r", Map.of("height_u", 48)),
                CreateCi.of("Server", "b", Map.of("serial_number", serial.toLowerCase())),
                CreateCi.of("Server", "c", Map.of("cpu_count", "x")));
        var ctx = new ChangeContext("importer", "import", "servers.csv");
        assertThatThrownBy(() -> cis.createAll(batch, ctx)).isInstanceOfSatisfying(InvalidInputException.class, e ->
                assertThat(e.errors()).extracting(InvalidInputException.FieldViolation::field)
                        .containsExactly("[2].attributes.serial_number", "[3].attributes.cpu_count"));
        assertThat(jdbc.sql("select count(*) from cis").query(Long.class).single()).isEqualTo(cisBefore);

        var created = cis.createAll(batch.subList(0, 2), ctx);
        assertThat(created).extracting(ConfigurationItem::className).containsExactly("Server", "Rack");
        assertThat(created.get(1)).isEqualTo(cis.get(created.get(1).id()));
        assertThat(history.forCi(created.getFirst().id(), null, 5).items().getFirst().source()).isEqualTo("import");
    }

    @Test
    void idsGrowAndAreNeverReusedAfterRetirement() {
        long first = server(Map.of(), List.of()).id();
        cis.retire(first, null, API);
        long second = server(Map.of(), List.of()).id();
        assertThat(second).isGreaterThan(first);
        assertThat(cis.get(first).retired()).isTrue();
        assertThat(cis.retire(first, null, API).version()).as("retiring again changes nothing").isEqualTo(2);
    }

    @Test
    void retiredCisReleaseTheirUniqueValues() {
        String serial = unique("SN");
        long old = server(Map.of("serial_number", serial), List.of()).id();
        assertThatThrownBy(() -> server(Map.of("serial_number", serial), List.of())).isInstanceOf(InvalidInputException.class);
        cis.retire(old, null, API);
        assertThat(server(Map.of("serial_number", serial), List.of()).attributes()).containsEntry("serial_number", serial);
    }

    @Test
    void historyRecordJoinsTheCallersTransactionAndNeedsOne() {
        long id = server(Map.of(), List.of()).id();
        long before = countHistory(id);
        tx.executeWithoutResult(status -> {
            history.record(id, "relation", "relation.depends_on->1", null, Map.of("type", "depends_on"), ChangeContext.api("graph", "x"));
            status.setRollbackOnly();
        });
        assertThat(countHistory(id)).isEqualTo(before);
        tx.executeWithoutResult(status -> history.record(id, "relation", "relation.depends_on->1", null, 1L,
                new ChangeContext("importer", "import", "bulk load")));
        assertThat(countHistory(id)).isEqualTo(before + 1);
        HistoryEntry entry = history.forCi(id, null, 1).items().getFirst();
        assertThat(entry.source()).isEqualTo("import");
        assertThat(entry.ciVersion()).isNull();
        assertThatThrownBy(() -> history.record(id, "relation", "f", null, null, API))
                .isInstanceOf(IllegalTransactionStateException.class);
    }

    @Test
    void discoveryReplacesComponentsAndHistoryNamesTheSource() {
        long id = server(Map.of(), List.of()).id();
        var discovery = new ChangeContext("agent-42", "discovery", "inventory report");
        var diff = components.replace(id, "disk", List.of(new ComponentSpec("disk", "S1", Map.of("size_gb", 960)),
                new ComponentSpec(null, "S2", Map.of("size_gb", 960))), discovery);
        assertThat(diff.added()).containsExactly("S1", "S2");
        var second = components.replace(id, "disk", List.of(new ComponentSpec("disk", "S2", Map.of("size_gb", 1920))), discovery);
        assertThat(second).isEqualTo(new ComponentDiff(List.of(), List.of("S1"), List.of("S2")));
        assertThat(components.list(id, "disk")).extracting(CiComponent::identity).containsExactly("S2");
        assertThat(history.forCi(id, null, 50).items()).filteredOn(h -> h.changeKind().equals("component"))
                .allSatisfy(h -> assertThat(h.source()).isEqualTo("discovery"))
                .extracting(HistoryEntry::field)
                .contains("component.disk[S1]", "component.disk[S2]", "component.disk[S2].size_gb");
    }

    @Test
    void everyChangeLeavesAnAuditRecordWithTheActor() {
        long id = server(Map.of(), List.of()).id();
        cis.transition(id, "in_stock", null, new ChangeContext("someone", "change:17", "CHG-17"));
        List<String> actions = jdbc.sql("select action || ':' || actor from audit_records where target_type = 'ci' and target_id = :id order by id")
                .param("id", Long.toString(id)).query(String.class).list();
        assertThat(actions).containsExactly("ci.created:tester", "ci.transition:someone");
    }

    @Test
    void rebuildsTheDocumentAtAnyInstantFromHistory() {
        ConfigurationItem created = server(Map.of("cpu_count", 2), List.of("x"));
        long id = created.id();
        cis.update(id, Map.of("attributes", Map.of("cpu_count", 4), "tags", List.of("y")), null, API);
        ConfigurationItem updated = cis.get(id);
        cis.transition(id, "in_stock", null, API);
        ConfigurationItem atCreation = cis.getAt(id, created.updatedAt());
        assertThat(atCreation.attributes()).containsEntry("cpu_count", 2);
        assertThat(atCreation.tags()).containsExactly("x");
        assertThat(atCreation.version()).isEqualTo(1);
        ConfigurationItem atUpdate = cis.getAt(id, updated.updatedAt());
        assertThat(atUpdate.version()).isEqualTo(2);
        assertThat(atUpdate.state()).isEqualTo("planned");
        assertThat(cis.getAt(id, Instant.now().plusSeconds(3600))).isEqualTo(cis.get(id));
    }

    private Object value(long id, String name, String column) {
        return jdbc.sql("select " + column + " from ci_values where ci_id = :id and name = :name")
                .param("id", id).param("name", name).query((rs, n) -> rs.getObject(1)).single();
    }

    private Instant timeValue(long id, String name) {
        return jdbc.sql("select time_value from ci_values where ci_id = :id and name = :name")
                .param("id", id).param("name", name).query((rs, n) -> rs.getTimestamp(1).toInstant()).single();
    }

    private List<String> tags(long id) {
        return jdbc.sql("select tag from ci_tags where ci_id = :id order by tag").param("id", id).query(String.class).list();
    }

    private String searchText(long id) {
        return jdbc.sql("select search_text from cis where id = :id").param("id", id).query(String.class).single();
    }

    private long countHistory(long id) {
        return jdbc.sql("select count(*) from ci_history where ci_id = :id").param("id", id).query(Long.class).single();
    }
}
