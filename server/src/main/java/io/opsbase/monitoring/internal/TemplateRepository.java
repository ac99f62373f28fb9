package io.opsbase.monitoring.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;

import io.opsbase.monitoring.MonitoringTemplate;
import io.opsbase.protocol.MonitoringItem;
import io.opsbase.protocol.ProtocolJson;
import tools.jackson.core.type.TypeReference;

/** Templates, their items, explicit host links and macros (of templates and of CIs). */
@Repository
public class TemplateRepository {

    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };

    private final JdbcClient jdbc;

    TemplateRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public List<MonitoringTemplate> all() {
        return jdbc.sql("select * from monitoring_templates order by name").query(this::map).list();
    }

    public Optional<MonitoringTemplate> find(long id) {
        return jdbc.sql("select * from monitoring_templates where id = :id").param("id", id).query(this::map).optional();
    }

    public boolean nameTaken(String name, long exceptId) {
        return jdbc.sql("select count(*) from monitoring_templates where name = :n and id <> :id").param("n", name)
                .param("id", exceptId).query(Long.class).single() > 0;
    }

    public long insert(MonitoringTemplate t, Instant now) {
        var keys = new GeneratedKeyHolder();
        jdbc.sql("""
                insert into monitoring_templates (name, description, parent_id, bind_classes, bind_attributes, bind_tags, builtin, updated_at)
                values (:name, :d, :p, :c, :a, :t, false, :now)""")
                .param("name", t.name()).param("d", t.description()).param("p", t.parentId())
                .param("c", String.join(",", t.bindClasses())).param("a", LabelsJson.write(t.bindAttributes()))
                .param("t", String.join(",", t.bindTags())).param("now", Timestamp.from(now)).update(keys, "id");
        long id = keys.getKey().longValue();
        replaceItemsAndMacros(id, t);
        return id;
    }

    public void update(long id, MonitoringTemplate t, Instant now) {
        jdbc.sql("""
                update monitoring_templates set name = :name, description = :d, parent_id = :p, bind_classes = :c,
                    bind_attributes = :a, bind_tags = :t, updated_at = :now where id = :id""")
                .param("name", t.name()).param("d", t.description()).param("p", t.parentId())
                .param("c", String.join(",", t.bindClasses())).param("a", LabelsJson.write(t.bindAttributes()))
                .param("t", String.join(",", t.bindTags())).param("now", Timestamp.from(now)).param("id", id).update();
        replaceItemsAndMacros(id, t);
    }

    public void delete(long id) {
        jdbc.sql("update alert_rules set template_id = null where template_id = :id").param("id", id).update();
        jdbc.sql("update monitoring_templates set parent_id = null where parent_id = :id").param("id", id).update();
        jdbc.sql("delete from monitoring_template_items where template_id = :id").param("id", id).update();
        jdbc.sql("delete from monitoring_template_hosts where template_id = :id").param("id", id).update();
        jdbc.sql("delete from monitoring_macros where owner_type = 'template' and owner_id = :id").param("id", id).update();
        jdbc.sql("delete from monitoring_templates where id = :id").param("id", id).update();
    }

    private void replaceItemsAndMacros(long id, MonitoringTemplate t) {
        jdbc.sql("delete from monitoring_template_items where template_id = :id").param("id", id).update();
        for (MonitoringItem i : t.items()) {
            jdbc.sql("""
                    insert into monitoring_template_items (template_id, item_key, type, target, arguments, interval_seconds,
                        timeout_seconds, max_output_bytes, account)
                    values (:t, :k, :type, :target, :args, :i, :to, :max, :acc)""")
                    .param("t", id).param("k", i.key()).param("type", i.type()).param("target", i.target())
                    .param("args", ProtocolJson.mapper().writeValueAsString(i.arguments())).param("i", i.interval().toSeconds())
                    .param("to", i.timeout().toSeconds()).param("max", i.maxOutputBytes()).param("acc", i.account()).update();
        }
        replaceMacros("template", id, t.macros());
    }

    public void link(long templateId, long ciId) {
        if (jdbc.sql("select count(*) from monitoring_template_hosts where template_id = :t and ci_id = :c").param("t", templateId)
                .param("c", ciId).query(Long.class).single() == 0) {
            jdbc.sql("insert into monitoring_template_hosts (template_id, ci_id) values (:t, :c)").param("t", templateId)
                    .param("c", ciId).update();
        }
    }

    public boolean unlink(long templateId, long ciId) {
        return jdbc.sql("delete from monitoring_template_hosts where template_id = :t and ci_id = :c").param("t", templateId)
                .param("c", ciId).update() > 0;
    }

    public List<Long> linkedTemplates(long ciId) {
        return jdbc.sql("select template_id from monitoring_template_hosts where ci_id = :c order by template_id").param("c", ciId)
                .query(Long.class).list();
    }

    public List<Long> linkedHosts(long templateId) {
        return jdbc.sql("select ci_id from monitoring_template_hosts where template_id = :t order by ci_id").param("t", templateId)
                .query(Long.class).list();
    }

    public Map<String, String> macros(String ownerType, long ownerId) {
        Map<String, String> out = new LinkedHashMap<>();
        jdbc.sql("select name, macro_value from monitoring_macros where owner_type = :o and owner_id = :id order by name")
                .param("o", ownerType).param("id", ownerId)
                .query((rs, n) -> Map.entry(rs.getString(1), rs.getString(2))).list().forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    public void replaceMacros(String ownerType, long ownerId, Map<String, String> macros) {
        jdbc.sql("delete from monitoring_macros where owner_type = :o and owner_id = :id").param("o", ownerType).param("id", ownerId)
                .update();
        macros.forEach((name, value) -> jdbc.sql("insert into monitoring_macros (owner_type, owner_id, name, macro_value) values (:o, :id, :n, :v)")
                .param("o", ownerType).param("id", ownerId).param("n", name).param("v", value).update());
    }

    private MonitoringTemplate map(ResultSet rs, int n) throws SQLException {
        long id = rs.getLong("id");
        long parent = rs.getLong("parent_id");
        Long parentId = rs.wasNull() ? null : parent;
        List<MonitoringItem> items = jdbc.sql("select * from monitoring_template_items where template_id = :t order by item_key")
                .param("t", id).query((r, i) -> new MonitoringItem(r.getString("item_key"), r.getString("type"), r.getString("target"),
                        ProtocolJson.mapper().readValue(r.getString("arguments"), STRINGS), Duration.ofSeconds(r.getLong("interval_seconds")),
                        Duration.ofSeconds(r.getLong("timeout_seconds")), r.getInt("max_output_bytes"), r.getString("account"))).list();
        return new MonitoringTemplate(id, rs.getString("name"), rs.getString("description"), parentId, split(rs.getString("bind_classes")),
                LabelsJson.read(rs.getString("bind_attributes")), split(rs.getString("bind_tags")), rs.getBoolean("builtin"), items,
                macros("template", id), rs.getTimestamp("updated_at").toInstant());
    }

    private static List<String> split(String text) {
        return text == null || text.isBlank() ? List.of() : Arrays.stream(text.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
