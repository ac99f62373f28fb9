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

/** The CMDB pages through their real forms: list and search, create, validation, transitions, history. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestUsers.class)
class CiPagesTest {

    @LocalServerPort
    int port;

    @Autowired
    TestUsers testUsers;

    @Autowired
    CiService cis;

    private WebSession signedIn(Role role) {
        WebSession session = WebSession.at(port).header("Accept-Language", "en");
        assertThat(session.login(testUsers.createUser(role), TestUsers.PASSWORD).location()).isEqualTo("/");
        return session;
    }

    private static String unique(String prefix) {
        return prefix + "-" + Long.toHexString(System.nanoTime());
    }

    private ConfigurationItem server(String name, Map<String, Object> attributes) {
        return cis.create(CreateCi.of("Server", name, attributes), ChangeContext.api("test", null));
    }

    private static long idFrom(String location) {
        return Long.parseLong(location.substring(location.lastIndexOf('/') + 1));
    }

    @Test
    void listsAndSearchesConfigurationItems() {
        String name = unique("db");
        server(name, Map.of("ip_address", "10.20.30.40"));
        server(unique("web"), Map.of());
        WebSession viewer = signedIn(Role.VIEWER);

        var all = viewer.get("/cmdb/cis");
        assertThat(all.status()).isEqualTo(200);
        assertThat(all.body()).contains("data-ci-name=\"" + name + "\"");

        var byIp = viewer.get("/cmdb/cis?q=10.20.30.40");
        assertThat(byIp.body()).contains("data-ci-name=\"" + name + "\"").contains("1 items");

        var wrongClass = viewer.get("/cmdb/cis?cls=Rack&q=" + name);
        assertThat(wrongClass.body()).doesNotContain("data-ci-name=\"" + name + "\"")
                .contains("No configuration item matches these filters.");
        assertThat(viewer.get("/cmdb/cis?cls=NoSuchClass").status()).isEqualTo(200);
    }

    @Test
    void createsACiFromTheFormAndShowsItsDetail() {
        WebSession operator = signedIn(Role.OPERATOR);
        var form = operator.get("/cmdb/cis/new?class=Server");
        assertThat(form.body()).contains("name=\"attr.ip_address\"").contains("name=\"attr.env\"");

        String name = unique("app");
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("class", "Server");
        fields.put("name", name);
        fields.put("ownerTeam", "platform");
        fields.put("tags", "prod, web");
        fields.put("attr.ip_address", "192.168.1.20");
        fields.put("attr.cpu_count", "16");
        fields.put("attr.memory_gb", "64.5");
        fields.put("attr.env", "staging");
        var created = operator.submit("/cmdb/cis/new?class=Server", "/cmdb/cis", fields);
        assertThat(created.status()).as(created.toString()).isEqualTo(302);
        long id = idFrom(created.location());

        ConfigurationItem ci = cis.get(id);
        assertThat(ci.attributes().get("cpu_count")).hasToString("16");
        assertThat(ci.attributes()).containsEntry("env", "staging");
        assertThat(ci.tags()).containsExactly("prod", "web");

        var detail = operator.get("/cmdb/cis/" + id).body();
        assertThat(detail).contains(name + " created.").contains("192.168.1.20").contains("64.5")
                .contains("data-kind=\"created\"");
    }

    @Test
    void showsEveryInvalidFieldInlineAndCreatesNothing() {
        WebSession operator = signedIn(Role.OPERATOR);
        var rejected = operator.submit("/cmdb/cis/new?class=Server", "/cmdb/cis", Map.of("class", "Server",
                "name", "", "attr.ip_address", "999.1.1.1", "attr.cpu_count", "many", "attr.env", "staging"));
        assertThat(rejected.status()).isEqualTo(422);
        assertThat(rejected.body()).contains("must be an IPv4 or IPv6 address").contains("must be an integer")
                .contains("is required").contains("value=\"many\"").contains("Please correct the highlighted fields (3).");
    }

    @Test
    void movesACiThroughItsLifecycleWithAReasonInTheHistory() {
        ConfigurationItem ci = server(unique("host"), Map.of());
        WebSession operator = signedIn(Role.OPERATOR);
        var page = operator.get("/cmdb/cis/" + ci.id()).body();
        assertThat(page).contains("data-transition=\"in_stock\"").doesNotContain("data-transition=\"in_use\"");

        var moved = operator.post("/cmdb/cis/" + ci.id() + "/transition",
                Map.of("to", "in_stock", "reason", "arrived in DC1", "version", Integer.toString(ci.version())),
                operator.get("/cmdb/cis/" + ci.id()).csrfToken());
        assertThat(moved.location()).isEqualTo("/cmdb/cis/" + ci.id());
        assertThat(cis.get(ci.id()).state()).isEqualTo("in_stock");
        var after = operator.get("/cmdb/cis/" + ci.id()).body();
        assertThat(after).contains("State changed to In stock.").contains("arrived in DC1")
                .contains("data-kind=\"transition\"").contains("data-transition=\"deployed\"");

        operator.submit("/cmdb/cis/" + ci.id(), "/cmdb/cis/" + ci.id() + "/transition", Map.of("to", "disposed"));
        assertThat(cis.get(ci.id()).state()).isEqualTo("in_stock");
        assertThat(operator.get("/cmdb/cis/" + ci.id()).body()).contains("cannot move to Disposed");
    }

    @Test
    void editsACiAndRefusesAStaleEdit() {
        ConfigurationItem ci = server(unique("edit"), Map.of("cpu_count", 4));
        WebSession operator = signedIn(Role.OPERATOR);
        var form = operator.get("/cmdb/cis/" + ci.id() + "/edit");
        assertThat(form.body()).contains("value=\"4\"");
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("class", "Server");
        fields.put("name", ci.name());
        fields.put("version", Integer.toString(ci.version()));
        fields.put("attr.cpu_count", "8");
        fields.put("attr.env", "prod");
        var saved = operator.post("/cmdb/cis/" + ci.id(), fields, form.csrfToken());
        assertThat(saved.location()).isEqualTo("/cmdb/cis/" + ci.id());
        assertThat(cis.get(ci.id()).attributes().get("cpu_count")).hasToString("8");
        assertThat(operator.get("/cmdb/cis/" + ci.id()).body()).contains("cpu_count").contains("4").contains("8");

        fields.put("attr.cpu_count", "12");
        var stale = operator.post("/cmdb/cis/" + ci.id(), fields, form.csrfToken());
        assertThat(stale.status()).isEqualTo(412);
        assertThat(stale.body()).contains("Someone changed this item while you were editing.");
        assertThat(cis.get(ci.id()).attributes().get("cpu_count")).hasToString("8");
    }

    @Test
    void letsViewersReadButNotWrite() {
        ConfigurationItem ci = server(unique("ro"), Map.of());
        WebSession viewer = signedIn(Role.VIEWER);
        var page = viewer.get("/cmdb/cis/" + ci.id());
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).doesNotContain("id=\"transition-form\"").doesNotContain("id=\"edit-ci\"");
        assertThat(viewer.get("/cmdb/cis/new").status()).isEqualTo(403);
        var attempt = viewer.post("/cmdb/cis/" + ci.id() + "/transition", Map.of("to", "in_stock"), page.csrfToken());
        assertThat(attempt.status()).isEqualTo(403);
        assertThat(cis.get(ci.id()).state()).isEqualTo("planned");
    }

    @Test
    void showsANotFoundPageForAMissingCi() {
        assertThat(signedIn(Role.VIEWER).get("/cmdb/cis/99999999").status()).isEqualTo(404);
    }

    @Test
    void showsClassesWithAttributesAndLifecycle() {
        WebSession viewer = signedIn(Role.VIEWER);
        var list = viewer.get("/cmdb/classes");
        assertThat(list.body()).contains("data-class=\"Server\"").contains("data-class=\"BusinessService\"");
        var server = viewer.get("/cmdb/classes/Server");
        assertThat(server.body()).contains("serial_number").contains("id=\"lifecycle\"").contains("In use");
        assertThat(viewer.get("/cmdb/classes/NoSuch").status()).isEqualTo(404);
    }

    @Test
    void speaksChineseOnCmdbPages() {
        WebSession viewer = signedIn(Role.VIEWER).header("Accept-Language", "zh-CN");
        assertThat(viewer.get("/cmdb/cis").body()).contains("配置项").contains("负责团队");
    }
}
