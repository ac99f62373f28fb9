package io.opsbase.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import io.opsbase.audit.AuditLog;
import io.opsbase.audit.AuditQuery;
import io.opsbase.auth.Role;
import io.opsbase.discovery.SimulatedAgents.Agent;
import io.opsbase.protocol.InventoryRequest;
import io.opsbase.protocol.ProtocolJson;
import io.opsbase.protocol.inventory.Disk;
import io.opsbase.protocol.inventory.InventoryHash;
import io.opsbase.testing.ApiClient;
import io.opsbase.testing.TestUsers;
import tools.jackson.databind.JsonNode;

/**
 * Conflicts are quarantined and never overwrite or duplicate a CI; admins resolve them. Also the
 * inventory endpoint's refusals: unsigned, malformed and impossible reports change nothing.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"opsbase.discovery.stale-after=1h", "opsbase.discovery.review-every=1d"})
@Import(DiscoveryTestConfiguration.class)
class DiscoveryConflictApiTest {

    @LocalServerPort
    int port;

    @Autowired
    TestUsers users;

    @Autowired
    SimulatedAgents agents;

    @Autowired
    AuditLog auditLog;

    ApiClient admin;
    ApiClient operator;

    @BeforeEach
    void setUp() {
        admin = ApiClient.at(port).withBearer(users.tokenFor(Role.ADMIN));
        operator = ApiClient.at(port).withBearer(users.tokenFor(Role.OPERATOR));
    }

    @Test
    void twoLiveAgentsClaimingOneSerialAreQuarantinedWithoutOverwritingTheCi() throws Exception {
        HostSpec host = HostSpec.physical();
        Agent owner = agents.enroll(port, host, true);
        agents.report(owner, host);
        long ciId = boundCi(owner);
        JsonNode before = admin.get("/api/v1/cis/" + ciId).json();

        HostSpec impostor = HostSpec.physical().withSerial(host.serial()); // same serial, other UUID, machine-id, MACs
        Agent second = agents.enroll(port, impostor, true);
        agents.report(second, impostor);

        JsonNode conflict = caseOf(second);
        assertThat(conflict.get("kind").asString()).isEqualTo("conflict");
        assertThat(conflict.get("reason").asString()).isEqualTo("duplicate-identity");
        assertThat(conflict.get("ciId").asLong()).isEqualTo(ciId);
        assertThat(conflict.get("otherAgentId").asLong()).isEqualTo(owner.id());
        assertThat(unbound(second)).isTrue();
        assertThat(admin.get("/api/v1/cis/" + ciId).json()).isEqualTo(before);
        assertThat(serialHolders(host.serial())).containsExactly(ciId);
        assertThat(auditLog.list(new AuditQuery(null, "discovery.quarantined", "discovery-case",
                conflict.get("id").asString(), null, null, null, null, 10)).items()).hasSize(1);

        long caseId = conflict.get("id").asLong();
        assertThat(operator.post("/api/v1/discovery/queue/" + caseId + "/keep-separate", Map.of()).status()).isEqualTo(403);
        assertThat(admin.post("/api/v1/discovery/queue/" + caseId + "/approve", Map.of()).status()).isEqualTo(409);

        var kept = admin.post("/api/v1/discovery/queue/" + caseId + "/keep-separate", Map.of("reason", "vendor reused a serial"));
        assertThat(kept.status()).as(kept.body()).isEqualTo(200);
        assertThat(kept.json().get("status").asString()).isEqualTo("kept-separate");
        long separate = boundCi(second);
        assertThat(separate).isNotEqualTo(ciId);
        assertThat(admin.get("/api/v1/cis/" + separate).json().get("attributes").has("serial_number")).isFalse();
        assertThat(admin.get("/api/v1/cis/" + ciId).json()).isEqualTo(before);
        assertThat(serialHolders(host.serial())).containsExactly(ciId);
        assertThat(history(separate)).anySatisfy(h -> assertThat(h.get("reason").asString()).contains("vendor reused a serial"));
    }

    @Test
    void cloneOfALiveHostIsQuarantinedAndAnAdminCanMergeIt() throws Exception {
        HostSpec host = HostSpec.physical();
        Agent original = agents.enroll(port, host, true);
        agents.report(original, host);
        long ciId = boundCi(original);
        int version = admin.get("/api/v1/cis/" + ciId).json().get("version").asInt();

        HostSpec clone = host.withNewMac(); // same image and UUID (a cloned VM), new MAC from the hypervisor
        Agent cloned = agents.enroll(port, clone, true);
        agents.report(cloned, clone);

        JsonNode conflict = caseOf(cloned);
        assertThat(conflict.get("reason").asString()).isEqualTo("clone");
        assertThat(conflict.get("ciId").asLong()).isEqualTo(ciId);
        assertThat(conflict.get("candidates").get(0).get("reasons").findValuesAsString("evidence")).contains("machine-id");
        assertThat(unbound(cloned)).isTrue();
        assertThat(admin.get("/api/v1/cis/" + ciId).json().get("version").asInt()).isEqualTo(version);

        // Reporting again while quarantined changes nothing either.
        agents.report(cloned, clone);
        assertThat(openCases(cloned)).hasSize(1);
        assertThat(admin.get("/api/v1/cis/" + ciId).json().get("version").asInt()).isEqualTo(version);

        var merged = admin.post("/api/v1/discovery/queue/" + conflict.get("id").asLong() + "/merge", Map.of());
        assertThat(merged.status()).as(merged.body()).isEqualTo(200);
        assertThat(boundCi(cloned)).isEqualTo(ciId);
        assertThat(admin.get("/api/v1/discovery/hosts/" + ciId).json().get("host").get("agentId").asLong()).isEqualTo(cloned.id());
        assertThat(history(ciId)).anySatisfy(h -> {
            assertThat(h.get("field").asString()).isEqualTo("component.nic[" + clone.nics().getFirst().mac() + "]");
            assertThat(h.get("reason").asString()).contains("merged discovery conflict");
        });
        assertThat(admin.post("/api/v1/discovery/queue/" + conflict.get("id").asLong() + "/merge", Map.of()).status())
                .isEqualTo(409);
    }

    @Test
    void serialThatChangesUnderTheSameAgentIsQuarantinedUntilMerged() throws Exception {
        HostSpec host = HostSpec.physical();
        Agent agent = agents.enroll(port, host, true);
        agents.report(agent, host);
        long ciId = boundCi(agent);

        HostSpec board = host.withSerial("SNNEW" + HostSpec.hex(3).toUpperCase());
        agents.report(agent, board);

        JsonNode conflict = caseOf(agent);
        assertThat(conflict.get("reason").asString()).isEqualTo("serial-changed");
        assertThat(admin.get("/api/v1/cis/" + ciId).json().get("attributes").get("serial_number").asString())
                .isEqualTo(host.serial());

        var merged = admin.post("/api/v1/discovery/queue/" + conflict.get("id").asLong() + "/merge",
                Map.of("reason", "mainboard replaced"));
        assertThat(merged.status()).as(merged.body()).isEqualTo(200);
        assertThat(boundCi(agent)).isEqualTo(ciId);
        assertThat(history(ciId)).anySatisfy(h -> {
            assertThat(h.get("field").asString()).isEqualTo("attributes.serial_number");
            assertThat(h.get("before").asString()).isEqualTo(host.serial());
            assertThat(h.get("after").asString()).isEqualTo(board.serial());
            assertThat(h.get("reason").asString()).contains("mainboard replaced");
        });
        // The new serial is now the CI's: later reports apply normally.
        Disk extra = new Disk("sdc", "Samsung PM883", "DSKX" + HostSpec.hex(3).toUpperCase(), 1L << 40, "SSD");
        agents.report(agent, board.withDisk(0, extra));
        assertThat(openCases(agent)).isEmpty();
        assertThat(componentIdentities(ciId)).contains("disk:" + extra.serial());
    }

    @Test
    void approvalCanBindANewHostToAnExistingCiFoundByItsSerial() throws Exception {
        HostSpec host = HostSpec.physical();
        var created = admin.post("/api/v1/cis", Map.of("class", "Server", "name", "imported-" + host.hostname(),
                "attributes", Map.of("serial_number", host.serial(), "manufacturer", "Dell Inc.")));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        long ciId = created.json().get("id").asLong();

        Agent agent = agents.enroll(port, host, false);
        agents.report(agent, host);
        JsonNode pending = caseOf(agent);
        assertThat(pending.get("kind").asString()).isEqualTo("new-host");
        assertThat(pending.get("ciId").asLong()).isEqualTo(ciId);
        assertThat(pending.get("candidates").get(0).get("reasons").findValuesAsString("evidence"))
                .contains("serial+manufacturer", "cmdb-record");

        var approved = operator.post("/api/v1/discovery/queue/" + pending.get("id").asLong() + "/approve", Map.of("ciId", ciId));
        assertThat(approved.status()).as(approved.body()).isEqualTo(200);
        assertThat(boundCi(agent)).isEqualTo(ciId);
        JsonNode ci = admin.get("/api/v1/cis/" + ciId).json();
        assertThat(ci.get("name").asString()).isEqualTo("imported-" + host.hostname()); // a name people gave stays
        assertThat(ci.get("attributes").get("smbios_uuid").asString()).isEqualTo(host.uuid());
        assertThat(serialHolders(host.serial())).containsExactly(ciId);
    }

    @Test
    void approvalIntoAnUnknownClassChangesNothingAndAVirtualMachineClassGetsNoComponents() throws Exception {
        HostSpec vm = HostSpec.vmWithoutDmi("vm-" + HostSpec.hex(3));
        Agent agent = agents.enroll(port, vm, false);
        agents.report(agent, vm);
        long caseId = caseOf(agent).get("id").asLong();

        var refused = admin.post("/api/v1/discovery/queue/" + caseId + "/approve", Map.of("class", "Toaster"));
        assertThat(refused.status()).isEqualTo(422);
        assertThat(caseOf(agent).get("status").asString()).isEqualTo("open");
        assertThat(unbound(agent)).isTrue();

        var approved = admin.post("/api/v1/discovery/queue/" + caseId + "/approve",
                Map.of("class", "VirtualMachine", "state", "in_use"));
        assertThat(approved.status()).as(approved.body()).isEqualTo(200);
        long ciId = boundCi(agent);
        JsonNode ci = admin.get("/api/v1/cis/" + ciId).json();
        assertThat(ci.get("class").asString()).isEqualTo("VirtualMachine");
        assertThat(ci.get("attributes").get("vcpu_count").asInt()).isEqualTo(128);
        assertThat(ci.get("attributes").get("hostname").asString()).isEqualTo(vm.hostname());
        assertThat(ci.get("attributes").has("serial_number")).isFalse();
        assertThat(componentIdentities(ciId)).isEmpty();
        assertThat(admin.get("/api/v1/discovery/hosts/" + ciId).json().get("identity").get("reasons")
                .findValuesAsString("evidence")).contains("agent-binding", "machine-id", "mac-set", "hostname");
    }

    @Test
    void rejectedHostGetsNoCiAndItsLaterReportsAreNotReconciled() throws Exception {
        HostSpec host = HostSpec.physical();
        Agent agent = agents.enroll(port, host, false);
        agents.report(agent, host);
        JsonNode pending = caseOf(agent);

        var rejected = operator.post("/api/v1/discovery/queue/" + pending.get("id").asLong() + "/reject", Map.of("reason", "lab box"));
        assertThat(rejected.status()).as(rejected.body()).isEqualTo(200);
        assertThat(rejected.json().get("status").asString()).isEqualTo("rejected");
        agents.report(agent, host);
        assertThat(openCases(agent)).isEmpty();
        assertThat(unbound(agent)).isTrue();
        assertThat(serialHolders(host.serial())).isEmpty();
    }

    @Test
    void sameNewHardwareReportedByTwoAgentsAtOnceBecomesOneCiAndOneConflict() throws Exception {
        HostSpec host = HostSpec.physical();
        HostSpec twin = host.withNewMachineId().withNewMac();
        Agent a = agents.enroll(port, host, true);
        Agent b = agents.enroll(port, twin, true);

        var first = CompletableFuture.supplyAsync(() -> report(a, host));
        var second = CompletableFuture.supplyAsync(() -> report(b, twin));
        assertThat(first.get(60, TimeUnit.SECONDS)).isEqualTo(200);
        assertThat(second.get(60, TimeUnit.SECONDS)).isEqualTo(200);

        assertThat(serialHolders(host.serial())).hasSize(1);
        long ciId = serialHolders(host.serial()).getFirst();
        Agent winner = unbound(a) ? b : a;
        Agent quarantined = winner == a ? b : a;
        assertThat(boundCi(winner)).isEqualTo(ciId);
        assertThat(unbound(quarantined)).isTrue();
        assertThat(caseOf(quarantined).get("reason").asString()).isEqualTo("duplicate-identity");
    }

    int report(Agent agent, HostSpec host) {
        try {
            return agents.report(agent, "inv-" + java.util.UUID.randomUUID(), host).status();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void inventoryEndpointRefusesUnsignedAndInvalidReportsChangingNothing() throws Exception {
        HostSpec host = HostSpec.physical();
        Agent agent = agents.enroll(port, host, true);
        var inventory = host.inventory();
        byte[] body = ProtocolJson.write(new InventoryRequest("k1", null, InventoryHash.of(inventory), inventory));

        var unsigned = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/api/v1/agent/inventory")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(unsigned.statusCode()).isEqualTo(401);
        var withUserToken = admin.post("/api/v1/agent/inventory", new String(body, StandardCharsets.UTF_8));
        assertThat(withUserToken.status()).isEqualTo(401);

        var malformed = agents.send(agent, "{\"idempotencyKey\": ".getBytes(StandardCharsets.UTF_8));
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.body()).contains("/problems/");
        var noInventory = agents.send(agent, "{\"idempotencyKey\": \"k2\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(noInventory.status()).isEqualTo(400);

        var negative = host.withDisk(0, new Disk("sda", "x", "DSKNEG1", -1, "SSD")).inventory();
        var impossible = agents.send(agent, ProtocolJson.write(new InventoryRequest("k3", null, null, negative)));
        assertThat(impossible.status()).isEqualTo(422);
        assertThat(impossible.body()).contains("inventory.disks[0].sizeBytes");
        var longKey = agents.send(agent, ProtocolJson.write(new InventoryRequest("k".repeat(101), null, null, inventory)));
        assertThat(longKey.status()).isEqualTo(422);
        assertThat(longKey.body()).contains("idempotencyKey");

        assertThat(unbound(agent)).isTrue();
        assertThat(openCases(agent)).isEmpty();
        assertThat(serialHolders(host.serial())).isEmpty();
        var notGzip = agents.sendEncoded(agent, body, "gzip");
        assertThat(notGzip.status()).isEqualTo(400);
        assertThat(agents.sendEncoded(agent, body, "br").status()).isEqualTo(400);

        // The refused keys were not consumed: the same key is accepted once the report is valid (gzipped, as agents send it).
        var accepted = agents.send(agent, ProtocolJson.write(new InventoryRequest("k3", null, null, inventory)), true);
        assertThat(accepted.status()).isEqualTo(200);
        assertThat(accepted.response().acknowledgement().status().name()).isEqualTo("ACCEPTED");
        assertThat(unbound(agent)).isFalse();
    }

    @Test
    void queueAndHostsApiRefuseBadRequests() {
        assertThat(admin.get("/api/v1/discovery/queue?status=nonsense").status()).isEqualTo(400);
        assertThat(admin.get("/api/v1/discovery/queue?cursor=abc").status()).isEqualTo(400);
        assertThat(admin.get("/api/v1/discovery/queue/999999999").status()).isEqualTo(404);
        assertThat(admin.get("/api/v1/discovery/hosts/999999999").status()).isEqualTo(404);
        assertThat(admin.post("/api/v1/discovery/queue/999999999/approve", Map.of()).status()).isEqualTo(404);
        assertThat(ApiClient.at(port).get("/api/v1/discovery/hosts").status()).isEqualTo(401);
        var viewer = ApiClient.at(port).withBearer(users.tokenFor(Role.VIEWER));
        assertThat(viewer.get("/api/v1/discovery/queue").status()).isEqualTo(200);
        assertThat(viewer.post("/api/v1/discovery/queue/1/approve", Map.of()).status()).isEqualTo(403);
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

    boolean unbound(Agent agent) {
        return admin.get("/api/v1/agents/" + agent.id()).json().get("ciId").isNull();
    }

    long boundCi(Agent agent) {
        JsonNode ciId = admin.get("/api/v1/agents/" + agent.id()).json().get("ciId");
        assertThat(ciId.isNull()).as("agent " + agent.id() + " is bound").isFalse();
        return ciId.asLong();
    }

    List<Long> serialHolders(String serial) {
        List<Long> ids = new ArrayList<>();
        admin.get("/api/v1/cis?attr.serial_number=" + serial).json().get("items").forEach(c -> ids.add(c.get("id").asLong()));
        return ids;
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
}
