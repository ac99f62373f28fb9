package io.opsbase.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import io.opsbase.agents.AgentService;
import io.opsbase.auth.Role;
import io.opsbase.cmdb.CiService;
import io.opsbase.discovery.SimulatedAgents.Agent;
import io.opsbase.protocol.inventory.Disk;
import io.opsbase.testing.TestUsers;
import io.opsbase.testing.WebSession;

/**
 * The hosts pages and the discovery queue through real HTTP, with hosts reported by signed
 * simulated agents: list filters, the detail page's inventory, components and evidence, the
 * side-by-side diff, decisions round trip and who may take them.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"opsbase.discovery.stale-after=1h", "opsbase.discovery.review-every=1d"})
@Import(DiscoveryTestConfiguration.class)
class HostPagesTest {

    @LocalServerPort
    int port;

    @Autowired
    TestUsers users;

    @Autowired
    SimulatedAgents agents;

    @Autowired
    MutableClock clock;

    @Autowired
    AgentService agentService;

    @Autowired
    DiscoveryService discovery;

    @Autowired
    CiService cis;

    private WebSession signedIn(Role role) {
        WebSession session = WebSession.at(port).header("Accept-Language", "en");
        assertThat(session.login(users.createUser(role), TestUsers.PASSWORD).location()).isEqualTo("/");
        return session;
    }

    /** A host reported by an auto-approved agent: it has a CI at once. */
    private long approvedHost(HostSpec host) throws Exception {
        Agent agent = agents.enroll(port, host, true);
        agents.report(agent, host);
        return agentService.get(agent.id()).ciId();
    }

    private DiscoveryCase openCaseOf(Agent agent) {
        return discovery.queue("open", null, null, 500).items().stream().filter(c -> c.agentId() == agent.id())
                .findFirst().orElseThrow();
    }

    @Test
    void listsHostsAndFiltersThemByTextOsAndStatus() throws Exception {
        String tag = "lst" + HostSpec.hex(3);
        HostSpec web = HostSpec.physical().withHostname(tag + "-web");
        HostSpec db = HostSpec.physical().withHostname(tag + "-db").withOsVersion("13");
        long webCi = approvedHost(web);
        long dbCi = approvedHost(db);
        WebSession viewer = signedIn(Role.VIEWER);

        var all = viewer.get("/hosts?q=" + tag);
        assertThat(all.status()).isEqualTo(200);
        assertThat(all.body()).contains("data-host=\"" + web.hostname() + "\"").contains("data-host=\"" + db.hostname() + "\"")
                .contains("href=\"/cmdb/cis/" + webCi + "\"").contains("64 cores").contains("32 GiB")
                .contains("data-status=\"online\"");

        assertThat(viewer.get("/hosts?q=" + web.hostname().toUpperCase()).body())
                .contains("data-host=\"" + web.hostname() + "\"").doesNotContain("data-host=\"" + db.hostname() + "\"");
        assertThat(viewer.get("/hosts?q=" + db.serial()).body())
                .contains("data-host=\"" + db.hostname() + "\"").doesNotContain("data-host=\"" + web.hostname() + "\"");
        var byOs = viewer.get("/hosts?os=Debian+GNU%2FLinux+13&q=" + tag);
        assertThat(byOs.body()).contains("data-host=\"" + db.hostname() + "\"").doesNotContain("data-host=\"" + web.hostname() + "\"");
        assertThat(viewer.get("/hosts?status=stale&q=" + web.hostname()).body()).contains("No host matches these filters.");
        assertThat(viewer.get("/hosts?status=bogus").status()).isEqualTo(200);

        clock.advance(Duration.ofHours(2));
        var stale = viewer.get("/hosts?status=stale&q=" + tag);
        assertThat(stale.body()).contains("data-ci-id=\"" + webCi + "\"").contains("data-ci-id=\"" + dbCi + "\"");
        assertThat(viewer.get("/hosts?status=online&q=" + tag).body()).doesNotContain("data-ci-id=\"" + webCi + "\"");
    }

    @Test
    void pagesThroughHostsFiftyAtATimeKeepingTheFilters() throws Exception {
        String tag = "pg" + HostSpec.hex(3);
        for (int i = 0; i < 52; i++) {
            approvedHost(HostSpec.physical().withHostname(tag + "-" + i));
        }
        WebSession viewer = signedIn(Role.VIEWER);
        var first = viewer.get("/hosts?q=" + tag + "&status=online");
        assertThat(first.body().split("data-host=\"" + tag, -1)).hasSize(51);
        var next = java.util.regex.Pattern.compile("id=\"host-next\" href=\"([^\"]+)\"").matcher(first.body());
        assertThat(next.find()).isTrue();
        String nextUrl = next.group(1).replace("&amp;", "&");
        assertThat(nextUrl).contains("q=" + tag).contains("status=online").contains("cursor=");
        var second = viewer.get(nextUrl);
        assertThat(second.body().split("data-host=\"" + tag, -1)).hasSize(3);
        assertThat(second.body()).doesNotContain("id=\"host-next\"").contains("First page");
    }

    @Test
    void hostDetailShowsInventoryComponentsWithProvenanceChangesAgentAndEvidence() throws Exception {
        HostSpec host = HostSpec.physical();
        Agent agent = agents.enroll(port, host, true);
        agents.report(agent, host);
        long ciId = agentService.get(agent.id()).ciId();
        Disk old = host.disks().get(1);
        HostSpec swapped = host.withDisk(1, new Disk("sdb", "Seagate Exos", "NEWDSK" + HostSpec.hex(3).toUpperCase(), 4_000_000_000_000L, "HDD"));
        clock.advance(Duration.ofMinutes(5));
        agents.report(agent, swapped);

        var page = signedIn(Role.VIEWER).get("/hosts/" + ciId);
        assertThat(page.status()).isEqualTo(200);
        String body = page.body();
        assertThat(body).contains(host.serial()).contains(host.uuid()).contains("PowerEdge R650")
                .contains("Intel(R) Xeon(R) Gold 6338").contains("DIMM_A1").contains(host.dimms().getFirst().serial())
                .contains(host.nics().getFirst().mac()).contains("Debian GNU/Linux 12").contains("6.12.0-amd64");
        // Agent information and identity evidence as stored.
        assertThat(body).contains("id=\"agent-id\">#" + agent.id() + "<").contains(">1.0.0<")
                .contains("data-evidence=\"agent-binding\"").contains("high confidence");
        // The swapped disk: the new one live, the old one kept as removed, both from discovery.
        assertThat(body).contains("data-component=\"" + swapped.disks().get(1).serial() + "\"");
        assertThat(rowOf(body, "data-component=\"" + old.serial() + "\"")).contains("class=\"removed\"");
        assertThat(rowOf(body, "data-component=\"" + swapped.disks().get(1).serial() + "\"")).doesNotContain("removed");
        assertThat(body).contains("component.disk[" + old.serial() + "]").contains("CI created from discovery")
                .contains("data-event=\"removed\"").contains("data-event=\"added\"");
        assertThat(signedIn(Role.VIEWER).get("/hosts/999999999").status()).isEqualTo(404);
    }

    @Test
    void newHostQueueShowsDiffAndApprovalRoundTripCreatesTheCi() throws Exception {
        HostSpec host = HostSpec.physical();
        Agent agent = agents.enroll(port, host, false);
        agents.report(agent, host);
        DiscoveryCase pending = openCaseOf(agent);

        WebSession viewer = signedIn(Role.VIEWER);
        var queue = viewer.get("/hosts/queue");
        assertThat(queue.body()).contains("data-case=\"" + pending.id() + "\"")
                .contains("id=\"queue-count\" title=\"" + discovery.openCount() + " cases wait for a decision\"");
        var casePage = viewer.get("/hosts/queue/" + pending.id());
        assertThat(casePage.status()).isEqualTo(200);
        assertThat(casePage.body()).contains("data-field=\"serial_number\" data-state=\"incoming\"")
                .contains(host.serial()).contains("No candidate CI")
                .contains("Operators and admins approve or reject new hosts.").doesNotContain("id=\"approve-form\"");
        // A viewer's POST is refused even with a valid CSRF token, and changes nothing.
        assertThat(viewer.post("/hosts/queue/" + pending.id() + "/approve", Map.of(), casePage.csrfToken()).status())
                .isEqualTo(403);
        assertThat(viewer.post("/hosts/queue/" + pending.id() + "/reject", Map.of(), casePage.csrfToken()).status())
                .isEqualTo(403);
        assertThat(discovery.get(pending.id()).status()).isEqualTo("open");

        WebSession operator = signedIn(Role.OPERATOR);
        var form = operator.get("/hosts/queue/" + pending.id());
        assertThat(form.body()).contains("id=\"approve-form\"").contains("data-class=\"Server\"");
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("target", "new");
        fields.put("class", "Server");
        fields.put("state", "in_stock");
        fields.put("reason", "racked today");
        var approved = operator.post("/hosts/queue/" + pending.id() + "/approve", fields, form.csrfToken());
        long ciId = agentService.get(agent.id()).ciId();
        assertThat(approved.status()).isEqualTo(302);
        assertThat(approved.location()).isEqualTo("/hosts/" + ciId);
        assertThat(discovery.get(pending.id()).status()).isEqualTo("approved");
        assertThat(cis.get(ciId).state()).isEqualTo("in_stock");
        assertThat(operator.get("/hosts/" + ciId).body()).contains(host.hostname() + " approved.");

        // Deciding again is refused with a notice, and the case stays approved.
        var again = operator.post("/hosts/queue/" + pending.id() + "/reject", Map.of(), form.csrfToken());
        assertThat(again.location()).isEqualTo("/hosts/queue/" + pending.id());
        assertThat(operator.get(again.location()).body()).contains("This case has already been decided.");
        assertThat(discovery.get(pending.id()).status()).isEqualTo("approved");
        assertThat(operator.get("/hosts/queue?view=any").body()).contains("data-case=\"" + pending.id() + "\"");
    }

    @Test
    void conflictDiffHighlightsDifferencesAndOnlyAdminsResolveIt() throws Exception {
        HostSpec host = HostSpec.physical();
        long ciId = approvedHost(host);
        HostSpec impostor = HostSpec.physical().withSerial(host.serial());
        Agent second = agents.enroll(port, impostor, true);
        agents.report(second, impostor);
        DiscoveryCase conflict = openCaseOf(second);
        assertThat(conflict.kind()).isEqualTo("conflict");

        WebSession operator = signedIn(Role.OPERATOR);
        var page = operator.get("/hosts/queue/" + conflict.id());
        assertThat(page.body()).contains("data-field=\"serial_number\" data-state=\"same\"")
                .contains("data-field=\"hostname\" data-state=\"differs\"")
                .contains("data-field=\"smbios_uuid\" data-state=\"differs\"")
                .contains(impostor.hostname()).contains(host.hostname())
                .contains("data-candidate=\"" + ciId + "\"").contains("two agents claim one serial or UUID")
                .contains("Only admins resolve conflicts.").doesNotContain("id=\"merge-form\"");
        for (String action : List.of("merge", "keep-separate", "reject")) {
            assertThat(operator.post("/hosts/queue/" + conflict.id() + "/" + action, Map.of(), page.csrfToken()).status())
                    .as(action).isEqualTo(403);
        }
        assertThat(discovery.get(conflict.id()).status()).isEqualTo("open");

        WebSession admin = signedIn(Role.ADMIN);
        var adminPage = admin.get("/hosts/queue/" + conflict.id());
        assertThat(adminPage.body()).contains("id=\"merge-form\"").contains("id=\"keep-separate-form\"");
        var kept = admin.post("/hosts/queue/" + conflict.id() + "/keep-separate",
                Map.of("class", "Server", "state", "in_use", "reason", "vendor reused a serial"), adminPage.csrfToken());
        long separate = agentService.get(second.id()).ciId();
        assertThat(separate).isNotEqualTo(ciId);
        assertThat(kept.location()).isEqualTo("/hosts/" + separate);
        assertThat(discovery.get(conflict.id()).status()).isEqualTo("kept-separate");
    }

    @Test
    void postsWithoutTheCsrfTokenAreRefused() throws Exception {
        HostSpec host = HostSpec.physical();
        Agent agent = agents.enroll(port, host, false);
        agents.report(agent, host);
        DiscoveryCase pending = openCaseOf(agent);
        WebSession admin = signedIn(Role.ADMIN);
        assertThat(admin.post("/hosts/queue/" + pending.id() + "/approve", Map.of(), null).status()).isEqualTo(403);
        assertThat(discovery.get(pending.id()).status()).isEqualTo("open");
    }

    @Test
    void everyPageRendersEveryMessageInEnglishAndChinese() throws Exception {
        HostSpec host = HostSpec.physical();
        long ciId = approvedHost(host);
        HostSpec impostor = HostSpec.physical().withSerial(host.serial());
        Agent second = agents.enroll(port, impostor, true);
        agents.report(second, impostor);
        long conflict = openCaseOf(second).id();
        HostSpec fresh = HostSpec.physical();
        Agent third = agents.enroll(port, fresh, false);
        agents.report(third, fresh);
        long pending = openCaseOf(third).id();
        for (String language : List.of("en", "zh-CN")) {
            WebSession admin = signedIn(Role.ADMIN).header("Accept-Language", language);
            for (String path : List.of("/hosts", "/hosts/" + ciId, "/hosts/queue", "/hosts/queue?view=any",
                    "/hosts/queue/" + conflict, "/hosts/queue/" + pending, "/agents", "/admin/enrollment-tokens")) {
                var page = admin.get(path);
                assertThat(page.status()).as(language + " " + path).isEqualTo(200);
                assertThat(page.body()).as(language + " " + path).doesNotContain("??");
            }
        }
    }

    @Test
    void everyHostsUiMessageHasAChineseTranslation() throws IOException {
        Properties en = load("/i18n/hosts-ui.properties");
        Properties zh = load("/i18n/hosts-ui_zh_CN.properties");
        assertThat(zh.stringPropertyNames()).isEqualTo(en.stringPropertyNames());
        var chinese = signedIn(Role.VIEWER).header("Accept-Language", "zh-CN").get("/hosts");
        assertThat(chinese.body()).contains("代理发现的主机").contains("发现队列");
    }

    /** The opening tag of the table row carrying {@code marker}. */
    private static String rowOf(String html, String marker) {
        int at = html.indexOf(marker);
        assertThat(at).as(marker).isPositive();
        int start = html.lastIndexOf("<tr", at);
        return html.substring(start, html.indexOf('>', at) + 1);
    }

    private static Properties load(String resource) throws IOException {
        Properties p = new Properties();
        try (InputStream in = HostPagesTest.class.getResourceAsStream(resource)) {
            p.load(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
        }
        return p;
    }
}
