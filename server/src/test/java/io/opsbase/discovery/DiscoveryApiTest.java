package io.opsbase.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import io.opsbase.auth.Role;
import io.opsbase.discovery.SimulatedAgents.Agent;
import io.opsbase.protocol.Acknowledgement;
import io.opsbase.protocol.inventory.Disk;
import io.opsbase.testing.ApiClient;
import io.opsbase.testing.TestUsers;
import tools.jackson.databind.JsonNode;

/**
 * Discovery end to end over real HTTP: agents enroll and report signed inventories, admins work
 * the queue through the API, and every scenario asserts the CI id and the history written.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"opsbase.discovery.stale-after=1h", "opsbase.discovery.review-every=1d"})
@Import(DiscoveryTestConfiguration.class)
class DiscoveryApiTest {

    @LocalServerPort
    int port;

    @Autowired
    TestUsers users;

    @Autowired
    SimulatedAgents agents;

    @Autowired
    MutableClock clock;

    @Autowired
    DiscoveryTestConfiguration.InventoryChanges changes;

    @Autowired
    DiscoveryService discovery;

    ApiClient admin;

    @BeforeEach
    void setUp() {
        admin = ApiClient.at(port).withBearer(users.tokenFor(Role.ADMIN));
    }

    @Test
    void newHostWaitsForApprovalAndApprovalCreatesCiWithItsHardware() throws Exception {
        HostSpec host = HostSpec.physical();
        Agent agent = agents.enroll(port, host, false);
        var report = agents.report(agent, host);
        assertThat(report.response().acknowledgement().status()).isEqualTo(Acknowledgement.Status.ACCEPTED);

        JsonNode pending = caseOf(agent);
        assertThat(pending.get("kind").asString()).isEqualTo("new-host");
        assertThat(pending.get("hostname").asString()).isEqualTo(host.hostname());
        assertThat(pending.get("reported").get("serial_number").asString()).isEqualTo(host.serial());
        assertThat(admin.get("/api/v1/agents/" + agent.id()).json().get("ciId").isNull()).isTrue();

        var approved = admin.post("/api/v1/discovery/queue/" + pending.get("id").asLong() + "/approve",
                Map.of("class", "Server", "state", "in_use"));
        assertThat(approved.status()).as(approved.body()).isEqualTo(200);
        assertThat(approved.json().get("status").asString()).isEqualTo("approved");
        long ciId = boundCi(agent);

        JsonNode ci = admin.get("/api/v1/cis/" + ciId).json();
        assertThat(ci.get("name").asString()).isEqualTo(host.hostname());
        assertThat(ci.get("state").asString()).isEqualTo("in_use");
        JsonNode a = ci.get("attributes");
        assertThat(a.get("serial_number").asString()).isEqualTo(host.serial());
        assertThat(a.get("smbios_uuid").asString()).isEqualTo(host.uuid());
        assertThat(a.get("manufacturer").asString()).isEqualTo("Dell Inc.");
        assertThat(a.get("cpu_count").asInt()).isEqualTo(64);
        assertThat(a.get("memory_gb").decimalValue()).isEqualByComparingTo("32");
        assertThat(a.get("os").asString()).isEqualTo("Debian GNU/Linux");
        assertThat(a.get("mac_address").asString()).isEqualTo(host.nics().getFirst().mac());

        List<String> components = componentIdentities(ciId);
        assertThat(components).contains("disk:" + host.disks().get(0).serial(), "disk:" + host.disks().get(1).serial(),
                "memory:" + host.dimms().get(0).serial(), "nic:" + host.nics().getFirst().mac(),
                "cpu:Intel(R) Xeon(R) Gold 6338");
        assertThat(components).noneMatch(c -> c.contains("02:42:ac:11:00:01")); // the docker bridge is no hardware

        List<JsonNode> history = history(ciId);
        assertThat(history).allSatisfy(h -> assertThat(h.get("source").asString()).isEqualTo("discovery"));
        assertThat(history).anySatisfy(h -> assertThat(h.get("field").asString())
                .isEqualTo("component.disk[" + host.disks().get(0).serial() + "]"));

        JsonNode detail = admin.get("/api/v1/discovery/hosts/" + ciId).json();
        assertThat(detail.get("host").get("agentId").asLong()).isEqualTo(agent.id());
        assertThat(detail.get("identity").get("score").asInt()).isEqualTo(100);
        assertThat(evidence(detail)).contains("agent-binding", "serial+manufacturer", "smbios-uuid", "machine-id", "hostname");
        assertThat(detail.get("inventory").get("system").get("serial").asString()).isEqualTo(host.serial());
        assertThat(detail.get("provenance").findValuesAsString("field")).contains("attributes.serial_number",
                "component.disk[" + host.disks().get(0).serial() + "]");
        assertThat(changes.forCi(ciId)).isEmpty(); // creation is no change
    }

    @Test
    void retriedReportIsAcknowledgedDuplicateAndNotReapplied() throws Exception {
        HostSpec host = HostSpec.physical();
        Agent agent = agents.enroll(port, host, true);
        assertThat(agents.report(agent, "key-1", host).response().acknowledgement().status())
                .isEqualTo(Acknowledgement.Status.ACCEPTED);
        long ciId = boundCi(agent);
        int version = admin.get("/api/v1/cis/" + ciId).json().get("version").asInt();

        var retry = agents.report(agent, "key-1", host.withOsVersion("13"));
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.response().acknowledgement().status()).isEqualTo(Acknowledgement.Status.DUPLICATE);
        assertThat(admin.get("/api/v1/cis/" + ciId).json().get("version").asInt()).isEqualTo(version);
        assertThat(admin.get("/api/v1/cis/" + ciId).json().get("attributes").get("os_version").asString()).isEqualTo("12");
    }

    @Test
    void reinstalledHostWithNewAgentKeepsItsCi() throws Exception {
        HostSpec host = HostSpec.physical();
        Agent old = agents.enroll(port, host, true);
        agents.report(old, host);
        long ciId = boundCi(old);

        clock.advance(Duration.ofMinutes(20)); // the old agent died with the old OS
        HostSpec reinstalled = host.withNewMachineId().withOsVersion("13");
        Agent fresh = agents.enroll(port, reinstalled, false);
        agents.report(fresh, reinstalled);

        assertThat(boundCi(fresh)).isEqualTo(ciId);
        assertThat(openCases(fresh)).isEmpty();
        JsonNode ci = admin.get("/api/v1/cis/" + ciId).json();
        assertThat(ci.get("attributes").get("os_version").asString()).isEqualTo("13");
        assertThat(history(ciId)).anySatisfy(h -> {
            assertThat(h.get("field").asString()).isEqualTo("attributes.os_version");
            assertThat(h.get("before").asString()).isEqualTo("12");
            assertThat(h.get("after").asString()).isEqualTo("13");
            assertThat(h.get("source").asString()).isEqualTo("discovery");
            assertThat(h.get("actor").asString()).isEqualTo("agent:" + fresh.id());
        });
        JsonNode detail = admin.get("/api/v1/discovery/hosts/" + ciId).json();
        assertThat(detail.get("host").get("agentId").asLong()).isEqualTo(fresh.id());
        assertThat(evidence(detail)).contains("serial+manufacturer", "smbios-uuid", "machine-id-differs");
        assertThat(changes.forCi(ciId)).anySatisfy(e -> assertThat(e.differences())
                .anyMatch(d -> d.field().equals("attributes.os_version")));

        // The old agent was only unreachable and comes back: quarantined, the two never take turns.
        int version = admin.get("/api/v1/cis/" + ciId).json().get("version").asInt();
        agents.report(old, host);
        JsonNode conflict = caseOf(old);
        assertThat(conflict.get("reason").asString()).isEqualTo("duplicate-identity");
        assertThat(conflict.get("otherAgentId").asLong()).isEqualTo(fresh.id());
        assertThat(admin.get("/api/v1/cis/" + ciId).json().get("version").asInt()).isEqualTo(version);
    }

    @Test
    void renamedHostKeepsItsCiAndTheRenameIsInHistory() throws Exception {
        HostSpec host = HostSpec.physical();
        Agent agent = agents.enroll(port, host, true);
        agents.report(agent, host);
        long ciId = boundCi(agent);

        String newName = host.hostname() + "-renamed";
        agents.report(agent, host.withHostname(newName));

        JsonNode ci = admin.get("/api/v1/cis/" + ciId).json();
        assertThat(ci.get("id").asLong()).isEqualTo(ciId);
        assertThat(ci.get("name").asString()).isEqualTo(newName);
        assertThat(ci.get("attributes").get("hostname").asString()).isEqualTo(newName);
        assertThat(history(ciId)).anySatisfy(h -> {
            assertThat(h.get("field").asString()).isEqualTo("attributes.hostname");
            assertThat(h.get("before").asString()).isEqualTo(host.hostname());
            assertThat(h.get("after").asString()).isEqualTo(newName);
        });
    }

    @Test
    void swappedDiskIsRecordedAsRemovedAndAddedOnTheSameCi() throws Exception {
        HostSpec host = HostSpec.physical();
        Agent agent = agents.enroll(port, host, true);
        agents.report(agent, host);
        long ciId = boundCi(agent);
        Disk old = host.disks().get(1);
        Disk replacement = new Disk("sdb", "Seagate Exos", "DSKNEW" + HostSpec.hex(3).toUpperCase(), old.sizeBytes(), "HDD");

        agents.report(agent, host.withDisk(1, replacement));

        assertThat(boundCi(agent)).isEqualTo(ciId);
        assertThat(componentIdentities(ciId)).contains("disk:" + replacement.serial()).doesNotContain("disk:" + old.serial());
        List<JsonNode> history = history(ciId);
        assertThat(history).anySatisfy(h -> {
            assertThat(h.get("field").asString()).isEqualTo("component.disk[" + old.serial() + "]");
            assertThat(h.get("before").get("serial").asString()).isEqualTo(old.serial());
            assertThat(h.get("after").isNull()).isTrue();
        });
        assertThat(history).anySatisfy(h -> {
            assertThat(h.get("field").asString()).isEqualTo("component.disk[" + replacement.serial() + "]");
            assertThat(h.get("before").isNull()).isTrue();
        });
        assertThat(changes.forCi(ciId)).anySatisfy(e -> assertThat(e.differences()).extracting(InventoryDifference::field)
                .contains("component.disk[" + old.serial() + "]", "component.disk[" + replacement.serial() + "]"));
    }

    @Test
    void removedMemoryModuleIsMarkedRemovedWithWhen() throws Exception {
        HostSpec host = HostSpec.physical();
        Agent agent = agents.enroll(port, host, true);
        agents.report(agent, host);
        long ciId = boundCi(agent);
        var gone = host.dimms().get(1);

        agents.report(agent, host.withDimms(List.of(host.dimms().get(0))));

        assertThat(componentIdentities(ciId)).contains("memory:" + host.dimms().get(0).serial())
                .doesNotContain("memory:" + gone.serial());
        assertThat(history(ciId)).anySatisfy(h -> {
            assertThat(h.get("field").asString()).isEqualTo("component.memory[" + gone.serial() + "]");
            assertThat(h.get("before").get("slot").asString()).isEqualTo("DIMM_B1");
            assertThat(h.get("after").isNull()).isTrue();
        });
        JsonNode provenance = provenanceOf(ciId, "component.memory[" + gone.serial() + "]");
        assertThat(provenance.get("removedAt").isNull()).isFalse();
        assertThat(provenance.get("source").asString()).isEqualTo("discovery");
        assertThat(admin.get("/api/v1/cis/" + ciId).json().get("attributes").get("memory_gb").decimalValue())
                .isEqualByComparingTo("16");
    }

    @Test
    void virtualMachineWithoutDmiIsMatchedByMachineIdOnReenrollment() throws Exception {
        HostSpec vm = HostSpec.vmWithoutDmi("vm-" + HostSpec.hex(3));
        Agent first = agents.enroll(port, vm, true);
        agents.report(first, vm);
        long ciId = boundCi(first);

        clock.advance(Duration.ofMinutes(5));
        Agent again = agents.enroll(port, vm, false); // state directory wiped: a new agent, same OS
        agents.report(again, vm);

        assertThat(boundCi(again)).isEqualTo(ciId);
        JsonNode detail = admin.get("/api/v1/discovery/hosts/" + ciId).json();
        assertThat(evidence(detail)).containsExactly("machine-id", "mac-set", "hostname"); // 50 + 20 + 10
        assertThat(detail.get("identity").get("score").asInt()).isEqualTo(80);
        assertThat(detail.get("identity").get("confidence").asString()).isEqualTo("high");
    }

    @Test
    void immediateReenrollmentIsQuarantinedUntilTheOldAgentProvesSilentThenKeepsTheCi() throws Exception {
        HostSpec vm = HostSpec.vmWithoutDmi("vm-" + HostSpec.hex(3)).withNics(List.of()); // like this sandbox: no DMI, no MAC
        Agent first = agents.enroll(port, vm, true);
        agents.report(first, vm);
        long ciId = boundCi(first);

        Agent again = agents.enroll(port, vm, false); // state wiped and re-enrolled while the old agent still looks online
        agents.report(again, vm);
        JsonNode conflict = caseOf(again);
        assertThat(conflict.get("reason").asString()).isEqualTo("clone");
        discovery.reviewQuarantine();
        assertThat(caseOf(again).get("status").asString()).isEqualTo("open"); // the old agent may still be alive

        clock.advance(Duration.ofMinutes(2)); // … it is not: never heard of since the case opened
        assertThat(discovery.reviewQuarantine()).extracting(DiscoveryCase::id).contains(conflict.get("id").asLong());

        assertThat(boundCi(again)).isEqualTo(ciId);
        JsonNode decided = admin.get("/api/v1/discovery/queue/" + conflict.get("id").asLong()).json();
        assertThat(decided.get("status").asString()).isEqualTo("merged");
        assertThat(decided.get("resolvedBy").asString()).isEqualTo("system");
        assertThat(admin.get("/api/v1/discovery/hosts/" + ciId).json().get("host").get("agentId").asLong()).isEqualTo(again.id());
    }

    @Test
    void twoVirtualMachinesWithTheSameHostnameAreNotMerged() throws Exception {
        String hostname = "dup-" + HostSpec.hex(3);
        HostSpec first = HostSpec.vmWithoutDmi(hostname);
        Agent a = agents.enroll(port, first, true);
        agents.report(a, first);
        long firstCi = boundCi(a);

        HostSpec lookAlike = HostSpec.vmWithoutDmi(hostname);
        Agent b = agents.enroll(port, lookAlike, false);
        agents.report(b, lookAlike);

        JsonNode pending = caseOf(b);
        assertThat(pending.get("kind").asString()).isEqualTo("new-host");
        assertThat(pending.get("ciId").asLong()).isEqualTo(firstCi); // shown as a look-alike …
        assertThat(pending.get("confidence").asString()).isEqualTo("low");
        List<String> positive = new ArrayList<>();
        pending.get("candidates").get(0).get("reasons").forEach(r -> {
            if (r.get("weight").asInt() > 0) {
                positive.add(r.get("evidence").asString());
            }
        });
        assertThat(positive).containsExactly("hostname");
        assertThat(pending.get("score").asInt()).isEqualTo(10);
        assertThat(admin.get("/api/v1/agents/" + b.id()).json().get("ciId").isNull()).isTrue(); // … never merged

        HostSpec autoLookAlike = HostSpec.vmWithoutDmi(hostname);
        Agent c = agents.enroll(port, autoLookAlike, true);
        agents.report(c, autoLookAlike);
        assertThat(boundCi(c)).isNotEqualTo(firstCi);
        assertThat(admin.get("/api/v1/cis/" + firstCi).json().get("version").asInt()).isEqualTo(1);
    }

    @Test
    void hostThatStopsReportingBecomesStale() throws Exception {
        HostSpec host = HostSpec.physical();
        Agent agent = agents.enroll(port, host, true);
        agents.report(agent, host);
        long ciId = boundCi(agent);
        assertThat(hostSummary(ciId).get("stale").asBoolean()).isFalse();
        assertThat(hostSummary(ciId).get("agentStatus").asString()).isEqualTo("online");

        clock.advance(Duration.ofMinutes(61));

        JsonNode summary = hostSummary(ciId);
        assertThat(summary.get("stale").asBoolean()).isTrue();
        assertThat(summary.get("agentStatus").asString()).isEqualTo("offline");
        assertThat(summary.get("cpuCores").asInt()).isEqualTo(64);
        assertThat(admin.get("/api/v1/discovery/hosts?stale=true&q=" + host.hostname()).json().get("items")
                .findValuesAsString("hostname")).containsExactly(host.hostname());
    }

    // ---- helpers

    JsonNode caseOf(Agent agent) {
        List<JsonNode> open = openCases(agent);
        assertThat(open).as("open cases of agent " + agent.id()).hasSize(1);
        return open.getFirst();
    }

    List<JsonNode> openCases(Agent agent) {
        List<JsonNode> found = new ArrayList<>();
        String cursor = null;
        do {
            var page = admin.get("/api/v1/discovery/queue?limit=500" + (cursor == null ? "" : "&cursor=" + cursor)).json();
            page.get("items").forEach(c -> {
                if (c.get("agentId").asLong() == agent.id()) {
                    found.add(c);
                }
            });
            cursor = page.get("next").isNull() ? null : page.get("next").asString();
        } while (cursor != null);
        return found;
    }

    long boundCi(Agent agent) {
        JsonNode ciId = admin.get("/api/v1/agents/" + agent.id()).json().get("ciId");
        assertThat(ciId.isNull()).as("agent " + agent.id() + " is bound").isFalse();
        return ciId.asLong();
    }

    List<String> componentIdentities(long ciId) {
        List<String> out = new ArrayList<>();
        admin.get("/api/v1/cis/" + ciId + "/components").json().get("items")
                .forEach(c -> out.add(c.get("kind").asString() + ":" + c.get("identity").asString()));
        return out;
    }

    List<JsonNode> history(long ciId) {
        List<JsonNode> out = new ArrayList<>();
        admin.get("/api/v1/cis/" + ciId + "/history?limit=500").json().get("items").forEach(out::add);
        return out;
    }

    JsonNode hostSummary(long ciId) {
        return admin.get("/api/v1/discovery/hosts/" + ciId).json().get("host");
    }

    JsonNode provenanceOf(long ciId, String field) {
        for (JsonNode p : admin.get("/api/v1/discovery/hosts/" + ciId).json().get("provenance")) {
            if (p.get("field").asString().equals(field)) {
                return p;
            }
        }
        throw new AssertionError("no provenance for " + field);
    }

    static List<String> evidence(JsonNode detail) {
        return detail.get("identity").get("reasons").findValuesAsString("evidence");
    }
}
