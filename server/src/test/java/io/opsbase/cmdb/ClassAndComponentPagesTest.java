package io.opsbase.cmdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import io.opsbase.auth.Role;
import io.opsbase.testing.TestUsers;
import io.opsbase.testing.WebSession;

/** The class editor and the components section of a CI, through their real forms. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestUsers.class)
class ClassAndComponentPagesTest {

    @LocalServerPort
    int port;

    @Autowired
    TestUsers testUsers;

    @Autowired
    ClassCatalog classes;

    @Autowired
    CiService cis;

    @Autowired
    CiComponents components;

    private WebSession signedIn(Role role) {
        WebSession session = WebSession.at(port).header("Accept-Language", "en");
        assertThat(session.login(testUsers.createUser(role), TestUsers.PASSWORD).location()).isEqualTo("/");
        return session;
    }

    private static String uniqueClass() {
        return "Lb" + Long.toHexString(System.nanoTime());
    }

    @Test
    void createsAClassAndAddsTypedAttributes() {
        WebSession admin = signedIn(Role.ADMIN);
        String name = uniqueClass();
        var created = admin.submit("/cmdb/classes/new", "/cmdb/classes",
                Map.of("name", name, "label", "Load balancer", "description", "An L7 balancer"));
        assertThat(created.location()).isEqualTo("/cmdb/classes/" + name);
        assertThat(admin.get("/cmdb/classes/" + name).body()).contains("Class Load balancer created.");

        Map<String, String> attribute = new LinkedHashMap<>();
        attribute.put("name", "tier");
        attribute.put("label", "Service tier");
        attribute.put("type", "enum");
        attribute.put("enumValues", "gold, silver, bronze");
        attribute.put("defaultValue", "silver");
        attribute.put("required", "true");
        admin.submit("/cmdb/classes/" + name, "/cmdb/classes/" + name + "/attributes", attribute);
        admin.submit("/cmdb/classes/" + name, "/cmdb/classes/" + name + "/attributes",
                Map.of("name", "max_conn", "type", "integer", "defaultValue", "1000"));

        CiClass ciClass = classes.get(name);
        assertThat(ciClass.attribute("tier").orElseThrow().enumValues()).containsExactly("gold", "silver", "bronze");
        assertThat(ciClass.attribute("tier").orElseThrow().required()).isTrue();
        assertThat(ciClass.attribute("max_conn").orElseThrow().defaultValue()).hasToString("1000");
        assertThat(admin.get("/cmdb/cis/new?class=" + name).body()).contains("name=\"attr.tier\"")
                .contains("<option value=\"silver\" selected=\"selected\">silver</option>");
    }

    @Test
    void showsInvalidClassAndAttributeInputInline() {
        WebSession admin = signedIn(Role.ADMIN);
        var badName = admin.submit("/cmdb/classes/new", "/cmdb/classes", Map.of("name", "lower case"));
        assertThat(badName.status()).isEqualTo(422);
        assertThat(badName.body()).contains("starting with an upper-case letter");

        var duplicate = admin.submit("/cmdb/classes/new", "/cmdb/classes", Map.of("name", "Server"));
        assertThat(duplicate.status()).isEqualTo(422);
        assertThat(duplicate.body()).contains("already exists");

        String name = uniqueClass();
        classes.create(new NewClass(name, null, null, false, null, null), ChangeContext.api("test", null));
        var badAttribute = admin.submit("/cmdb/classes/" + name, "/cmdb/classes/" + name + "/attributes",
                Map.of("name", "count", "type", "integer", "defaultValue", "lots"));
        assertThat(badAttribute.status()).isEqualTo(422);
        assertThat(badAttribute.body()).contains("field-error").contains("value=\"lots\"");
        assertThat(classes.get(name).attribute("count")).isEmpty();
    }

    @Test
    void editsTheLifecycleAsTextAndRejectsABrokenOne() {
        WebSession admin = signedIn(Role.ADMIN);
        String name = uniqueClass();
        classes.create(new NewClass(name, null, null, false, null, null), ChangeContext.api("test", null));
        var page = admin.get("/cmdb/classes/" + name).body();
        assertThat(page).contains("planned -&gt; in_stock");

        var saved = admin.submit("/cmdb/classes/" + name, "/cmdb/classes/" + name,
                Map.of("label", "Short life", "lifecycle", "ordered -> live\nlive -> gone\ngone"));
        assertThat(saved.location()).isEqualTo("/cmdb/classes/" + name);
        Lifecycle lifecycle = classes.get(name).lifecycle();
        assertThat(lifecycle.initial()).isEqualTo("ordered");
        assertThat(lifecycle.allowed("live")).containsExactly("gone");

        var broken = admin.submit("/cmdb/classes/" + name, "/cmdb/classes/" + name,
                Map.of("label", "Short life", "lifecycle", "ordered -> nowhere"));
        assertThat(broken.status()).isEqualTo(422);
        assertThat(broken.body()).contains("unknown state").contains("ordered -&gt; nowhere");
        assertThat(classes.get(name).lifecycle().initial()).isEqualTo("ordered");
    }

    @Test
    void removesAnAttribute() {
        WebSession admin = signedIn(Role.ADMIN);
        String name = uniqueClass();
        classes.create(new NewClass(name, null, null, false, null, java.util.List.of(NewAttribute.of("note", "string"))),
                ChangeContext.api("test", null));
        admin.submit("/cmdb/classes/" + name, "/cmdb/classes/" + name + "/attributes/note/remove", Map.of());
        assertThat(classes.get(name).attribute("note")).isEmpty();
    }

    @Test
    void keepsTheSchemaEditorForAdmins() {
        WebSession operator = signedIn(Role.OPERATOR);
        assertThat(operator.get("/cmdb/classes/Server").body()).doesNotContain("id=\"add-attribute\"");
        assertThat(operator.get("/cmdb/classes/new").status()).isEqualTo(403);
        var attempt = operator.submit("/cmdb/classes", "/cmdb/classes/Server/attributes",
                Map.of("name", "sneaky", "type", "string"));
        assertThat(attempt.status()).isEqualTo(403);
        assertThat(classes.get("Server").attribute("sneaky")).isEmpty();
    }

    @Test
    void addsAndRemovesComponentsOfAHardwareCi() {
        ConfigurationItem ci = cis.create(CreateCi.of("Server", "hw-" + Long.toHexString(System.nanoTime()), Map.of()),
                ChangeContext.api("test", null));
        WebSession operator = signedIn(Role.OPERATOR);
        String path = "/cmdb/cis/" + ci.id();
        assertThat(operator.get(path).body()).contains("id=\"components\"").contains("No components recorded yet.");

        var added = operator.submit(path, path + "/components",
                Map.of("kind", "disk", "identity", "S3Z1NB0K", "attributes", "size_gb=960\nmodel=PM883\nssd=true"));
        assertThat(added.location()).isEqualTo(path);
        var list = components.list(ci.id(), "disk");
        assertThat(list).hasSize(1);
        assertThat(list.getFirst().attributes().get("size_gb")).hasToString("960");
        assertThat(list.getFirst().attributes()).containsEntry("ssd", true);
        String page = operator.get(path).body();
        assertThat(page).contains("data-component=\"S3Z1NB0K\"").contains("Component disk S3Z1NB0K added.")
                .contains("component.disk");

        var again = operator.submit(path, path + "/components", Map.of("kind", "disk", "identity", "S3Z1NB0K"));
        assertThat(again.location()).isEqualTo(path);
        assertThat(operator.get(path).body()).contains("The component was not added");

        operator.submit(path, path + "/components/" + list.getFirst().id() + "/remove", Map.of());
        assertThat(components.list(ci.id(), null)).isEmpty();
    }

    @Test
    void showsNoComponentsSectionForSoftwareClasses() {
        ConfigurationItem ci = cis.create(CreateCi.of("Application", "app-" + Long.toHexString(System.nanoTime()),
                Map.of()), ChangeContext.api("test", null));
        assertThat(signedIn(Role.VIEWER).get("/cmdb/cis/" + ci.id()).body()).doesNotContain("id=\"components\"");
    }
}
