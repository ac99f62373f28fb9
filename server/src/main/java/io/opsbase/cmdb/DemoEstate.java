package io.opsbase.cmdb;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A small realistic estate so a first look at Opsbase is not empty: one data centre, two racks,
 * core switches and a firewall, ten servers, four VMs, six applications, three databases and three
 * business services, all related. Loaded at start-up with {@code --opsbase.demo=true} only when
 * the CMDB has no CIs at all, so it never mixes with real data and a restart does nothing.
 * Everything goes through {@link CiService} and {@link RelationService} (actor {@code system},
 * source {@code import}), so it has history and audit records like any other change.
 */
@Component
@ConditionalOnBooleanProperty("opsbase.demo")
public class DemoEstate implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(DemoEstate.class);
    private static final ChangeContext CTX = new ChangeContext("system", "import", "demo estate");

    private final CiService cis;
    private final RelationService relations;
    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;

    DemoEstate(CiService cis, RelationService relations, JdbcClient jdbc, TransactionTemplate transaction) {
        this.cis = cis;
        this.relations = relations;
        this.jdbc = jdbc;
        this.transaction = transaction;
    }

    @Override
    public void run(ApplicationArguments args) {
        load();
    }

    /** Loads the estate when the CMDB is empty; returns whether it did. */
    public boolean load() {
        Boolean loaded = transaction.execute(status -> {
            if (jdbc.sql("select count(*) from cis").query(Long.class).single() > 0) {
                return false;
            }
            new Builder().build();
            return true;
        });
        if (Boolean.TRUE.equals(loaded)) {
            log.info("Loaded the demo estate");
        } else {
            log.info("The CMDB already has CIs; the demo estate was not loaded");
        }
        return Boolean.TRUE.equals(loaded);
    }

    /** Builds the estate; names are unique, so each CI is known by its name below. */
    private final class Builder {

        private final Map<String, Long> ids = new HashMap<>();

        void build() {
            long dc = ci("Datacenter", "fra1", "facilities", List.of("eu"), attrs("code", "FRA1", "city", "Frankfurt am Main",
                    "country", "DE", "tier", "III", "address", "Hanauer Landstr. 298, 60314 Frankfurt", "contact", "noc@example.com"));
            for (String rack : List.of("fra1-r01", "fra1-r02")) {
                ci("Rack", rack, "facilities", List.of(), attrs("datacenter", dc, "row", "A", "position", rack.substring(6),
                        "height_u", 42, "power_kw", 8.0));
                relate(rack, "hosted_in", "fra1");
            }
            network("fra1-core-sw01", "switch", "Arista", "DCS-7050SX3-48YC8", "JPE21430871", "10.10.0.2", "fra1-r01", 42);
            network("fra1-core-sw02", "switch", "Arista", "DCS-7050SX3-48YC8", "JPE21430925", "10.10.0.3", "fra1-r02", 42);
            network("fra1-fw01", "firewall", "Palo Alto Networks", "PA-3220", "013201004517", "10.10.0.1", "fra1-r01", 40);
            relate("fra1-core-sw01", "connects_to", "fra1-fw01");
            relate("fra1-core-sw02", "connects_to", "fra1-fw01");

            server("fra1-esx01", "Dell Inc.", "PowerEdge R750", "7H2KQM3", "10.10.1.11", 64, 768, "fra1-r01", 2);
            server("fra1-esx02", "Dell Inc.", "PowerEdge R750", "7H2KQM4", "10.10.1.12", 64, 768, "fra1-r01", 4);
            server("fra1-esx03", "Dell Inc.", "PowerEdge R750", "9BXLQM3", "10.10.1.13", 64, 768, "fra1-r02", 2);
            server("fra1-esx04", "Dell Inc.", "PowerEdge R650", "3FT0RN3", "10.10.1.14", 32, 512, "fra1-r02", 4);
            server("fra1-db01", "HPE", "ProLiant DL380 Gen10 Plus", "CZJ2140K7T", "10.10.2.21", 48, 1024, "fra1-r01", 8);
            server("fra1-db02", "HPE", "ProLiant DL380 Gen10 Plus", "CZJ2140K8B", "10.10.2.22", 48, 1024, "fra1-r02", 8);
            server("fra1-app01", "Lenovo", "ThinkSystem SR650 V2", "J30A7XQD", "10.10.3.31", 32, 256, "fra1-r01", 12);
            server("fra1-app02", "Lenovo", "ThinkSystem SR650 V2", "J30A7XRF", "10.10.3.32", 32, 256, "fra1-r02", 12);
            server("fra1-app03", "Lenovo", "ThinkSystem SR630 V2", "J30B2KLM", "10.10.3.33", 24, 192, "fra1-r02", 14);
            server("fra1-bkp01", "Supermicro", "SuperStorage 6029P-E1CR12L", "S41620181207339", "10.10.4.41", 16, 128, "fra1-r01", 20);

            vm("web-01", "fra1-esx01", "10.20.0.11", 4, 16);
            vm("web-02", "fra1-esx02", "10.20.0.12", 4, 16);
            vm("api-01", "fra1-esx03", "10.20.0.21", 8, 32);
            vm("ci-runner-01", "fra1-esx04", "10.20.0.31", 16, 64);

            database("orders-db", "postgresql", "16.4", "fra1-db01", 5432, 840.5);
            database("customers-db", "mysql", "8.0.39", "fra1-db02", 3306, 210);
            database("session-cache", "redis", "7.2.5", "fra1-app03", 6379, 12);

            application("storefront", "https://shop.example.com", "critical", "web-01", "web-02");
            application("checkout-api", "https://api.example.com/checkout", "critical", "api-01");
            application("payments", "https://pay.example.com", "critical", "fra1-app01");
            application("identity", "https://login.example.com", "high", "fra1-app02");
            application("reporting", "https://reports.example.com", "medium", "fra1-app03");
            application("build-ci", "https://ci.example.com", "low", "ci-runner-01");
            relate("storefront", "depends_on", "checkout-api");
            relate("storefront", "depends_on", "identity");
            relate("checkout-api", "depends_on", "payments");
            relate("checkout-api", "depends_on", "orders-db");
            relate("checkout-api", "depends_on", "session-cache");
            relate("payments", "depends_on", "orders-db");
            relate("identity", "depends_on", "customers-db");
            relate("reporting", "depends_on", "orders-db");

            service("Online Shop", "critical", "Head of E-Commerce", "99.9% monthly", "24x7", "storefront", "checkout-api");
            service("Payments", "critical", "Head of Payments", "99.95% monthly", "24x7", "payments", "orders-db");
            service("Customer Login", "high", "Identity Team Lead", "99.9% monthly", "24x7", "identity", "customers-db");
        }

        private void network(String name, String role, String vendor, String model, String serial, String ip, String rack, int unit) {
            ci("NetworkDevice", name, "network", List.of("core"), attrs("hostname", name, "serial_number", serial,
                    "manufacturer", vendor, "model", model, "management_ip", ip, "device_role", role,
                    "port_count", role.equals("switch") ? 56 : 12, "rack", ids.get(rack), "rack_unit", unit));
            relate(name, "hosted_in", rack);
        }

        private void server(String name, String vendor, String model, String serial, String ip, int cores, int memoryGb,
                String rack, int unit) {
            ci("Server", name, "infrastructure", List.of("linux"), attrs("hostname", name + ".fra1.example.com",
                    "serial_number", serial, "manufacturer", vendor, "model", model, "ip_address", ip, "cpu_count", cores,
                    "memory_gb", memoryGb, "os", name.contains("esx") ? "VMware ESXi" : "Ubuntu",
                    "os_version", name.contains("esx") ? "8.0 U3" : "24.04 LTS", "rack", ids.get(rack)));
            relate(name, "hosted_in", rack);
            relate(name, "connects_to", "fra1-core-sw01");
            relate(name, "connects_to", "fra1-core-sw02");
        }

        private void vm(String name, String host, String ip, int vcpus, int memoryGb) {
            ci("VirtualMachine", name, "platform", List.of("linux"), attrs("hostname", name, "ip_address", ip,
                    "vcpu_count", vcpus, "memory_gb", memoryGb, "os", "Ubuntu", "os_version", "24.04 LTS",
                    "hypervisor", "VMware vSphere 8"));
            relate(name, "runs_on", host);
        }

        private void database(String name, String engine, String version, String host, int port, double sizeGb) {
            ci("Database", name, "dba", List.of(), attrs("engine", engine, "version", version, "host", host, "port", port,
                    "size_gb", sizeGb));
            relate(name, "runs_on", host);
        }

        private void application(String name, String url, String criticality, String... hosts) {
            ci("Application", name, "product", List.of(), attrs("url", url, "criticality", criticality));
            for (String host : hosts) {
                relate(name, "runs_on", host);
            }
        }

        private void service(String name, String criticality, String owner, String sla, String hours, String... needs) {
            ci("BusinessService", name, "business", List.of(), attrs("criticality", criticality, "service_owner", owner,
                    "sla", sla, "support_hours", hours));
            for (String need : needs) {
                relate(name, "depends_on", need);
            }
        }

        private long ci(String className, String name, String owner, List<String> tags, Map<String, Object> attributes) {
            long id = cis.create(new CreateCi(className, name, attributes, owner, tags, "in_use"), CTX).id();
            ids.put(name, id);
            return id;
        }

        private void relate(String source, String type, String target) {
            relations.add(ids.get(source), type, ids.get(target), CTX);
        }

        private static Map<String, Object> attrs(Object... pairs) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (int i = 0; i < pairs.length; i += 2) {
                m.put((String) pairs[i], pairs[i + 1]);
            }
            return m;
        }
    }
}
