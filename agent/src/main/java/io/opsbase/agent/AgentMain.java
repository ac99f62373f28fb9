package io.opsbase.agent;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opsbase.agent.collectors.ProcFiles;
import io.opsbase.agent.monitoring.BuiltInCollectors;
import io.opsbase.agent.monitoring.ConfigSync;
import io.opsbase.agent.monitoring.MonitoringScheduler;
import io.opsbase.agent.monitoring.SampleBatcher;
import io.opsbase.agent.plugins.CheckPlugin;
import io.opsbase.agent.plugins.PluginRunner;
import io.opsbase.agent.plugins.PrometheusScraper;
import io.opsbase.agent.plugins.PrometheusTextParser;
import io.opsbase.agent.plugins.ScriptPlugin;
import io.opsbase.agent.inventory.InventoryCollector;
import io.opsbase.agent.inventory.CollectedInventory;
import io.opsbase.agent.inventory.InventoryCollectorProcess;
import io.opsbase.agent.inventory.InventoryScheduler;
import io.opsbase.agent.transport.Backoff;
import io.opsbase.agent.outbox.Outbox;
import io.opsbase.agent.outbox.OutboxDelivery;
import io.opsbase.agent.outbox.OutboxLimits;
import io.opsbase.agent.state.AgentState;
import io.opsbase.agent.state.AgentStateStore;
import io.opsbase.agent.state.PrivateFiles;
import io.opsbase.agent.tasks.TaskPoller;
import io.opsbase.agent.tasks.TaskHandlers;
import io.opsbase.agent.tasks.TaskSignatures;
import io.opsbase.agent.transport.HttpTransport;
import io.opsbase.agent.transport.ServerClient;
import io.opsbase.agent.transport.ServerRejection;
import io.opsbase.protocol.ProtocolJson;
import io.opsbase.protocol.signing.RequestSigner;
import tools.jackson.databind.SerializationFeature;

/**
 * Entry point: parses the command line, enrolls if needed, wires the parts by hand and runs until
 * stopped. Exit codes: 0 stopped, 1 cannot run (not enrolled, token refused, unreadable state),
 * 2 bad command line.
 */
public final class AgentMain {

    private static final Logger LOG = LoggerFactory.getLogger(AgentMain.class);
    private static final int LONG_POLL_SECONDS = 30;
    private static final int PLUGIN_CONCURRENCY = 4;
    private static final int MAX_SAMPLES_PER_SCRAPE = 50_000;
    private static final int MAX_SAMPLES_PER_BATCH = 5_000;
    private static final java.time.Duration METRICS_FLUSH = java.time.Duration.ofSeconds(10);
    private static final java.time.Duration CONFIG_REFRESH = java.time.Duration.ofMinutes(1);

    private AgentMain() {
    }

    public static void main(String[] args) {
        AgentOptions options;
        try {
            options = AgentOptions.parse(args, System.getenv());
        } catch (AgentOptions.InvalidOptionsException e) {
            System.err.println("opsbase-agent: " + e.getMessage());
            System.err.print(AgentOptions.USAGE);
            System.exit(2);
            return;
        }
        if (options.collectInventory()) {
            System.out.writeBytes(CollectedInventory.of(new InventoryCollector().get(), Instant.now()).encode());
            System.out.flush();
            return;
        }
        if (options.printInventory()) {
            var json = ProtocolJson.mapper().writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(new InventoryCollector().get());
            System.out.println(json);
            return;
        }
        try {
            run(options);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Enrollment.NotEnrolledException | IOException | ServerRejection e) {
            LOG.error("opsbase-agent cannot run: {}", e.getMessage());
            System.exit(1);
        }
    }

    static void run(AgentOptions options) throws IOException, InterruptedException, ServerRejection, Enrollment.NotEnrolledException {
        var agent = start(options, Clock.systemUTC(), ServerClient.defaultTransport(), LONG_POLL_SECONDS);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            LOG.info("opsbase-agent stopping");
            agent.close();
        }));
        agent.await();
    }

    /** Enrolls if needed, wires the parts and starts the loops. */
    static Agent start(AgentOptions options, Clock clock, HttpTransport http, int longPollSeconds)
            throws IOException, InterruptedException, ServerRejection, Enrollment.NotEnrolledException {
        var version = version();
        var stateDir = PrivateFiles.directory(options.stateDir());
        LOG.info("opsbase-agent {} starting: {}", version, options);

        var collector = InventoryCollectorProcess.sameRuntime();
        var outbox = Outbox.open(stateDir.resolve("outbox"), OutboxLimits.STANDARD, clock);
        var enrollment = new Enrollment(new AgentStateStore(stateDir), ServerClient.unsigned(options.server(), http, version),
                options.server(), version);
        var existing = enrollment.existing();
        var identity = existing.isPresent() ? existing.get() : enrollWithRetries(enrollment, options, collector);

        var signer = new RequestSigner(identity.agentId(), identity.secretBytes(), clock);
        var client = ServerClient.signed(options.server(), http, signer, version, clock);
        var inventory = new InventoryScheduler(collector, outbox, stateDir, clock, InventoryScheduler.DAILY);
        if (existing.isEmpty()) {
            inventory.forget();
        }
        var dispatcher = TaskHandlers.dispatcher(options, stateDir, outbox, client, clock);
        var poller = new TaskPoller(client, new TaskSignatures(identity.serverPublicKey()), identity.agentId(),
                dispatcher, outbox, clock, longPollSeconds, Backoff.standard());
        var plugins = new PluginRunner(PLUGIN_CONCURRENCY);
        var parser = new PrometheusTextParser(MAX_SAMPLES_PER_SCRAPE);
        var monitoring = new MonitoringScheduler(new BuiltInCollectors(ProcFiles.host(), outbox::size, outbox::bytes),
                new CheckPlugin(plugins), new ScriptPlugin(plugins, parser), new PrometheusScraper(java.net.http.HttpClient::newHttpClient, parser),
                new SampleBatcher(outbox, MAX_SAMPLES_PER_BATCH), clock, METRICS_FLUSH);
        var agent = Agent.start(new OutboxDelivery(outbox, client, Backoff.standard()), poller, inventory,
                new ConfigSync(client, monitoring, clock, CONFIG_REFRESH), monitoring, dispatcher);
        LOG.info("agent {} running against {}", identity.agentId(), options.server());
        return agent;
    }

    private static AgentState enrollWithRetries(Enrollment enrollment, AgentOptions options, Supplier<CollectedInventory> collector)
            throws IOException, InterruptedException, ServerRejection, Enrollment.NotEnrolledException {
        var fingerprint = collector.get().fingerprint();
        var backoff = Backoff.standard();
        while (true) {
            try {
                return enrollment.enroll(options.enrollToken(), fingerprint);
            } catch (ServerRejection e) {
                if (!e.isRetryable() || e.status() == 401 || e.status() == 403) {
                    throw e;
                }
                backoff.pauseAfterFailure();
            } catch (IOException e) {
                LOG.warn("cannot reach {} to enroll ({}); retrying in about {}", options.server(), e.toString(), backoff.next());
                backoff.pauseAfterFailure();
            }
        }
    }

    static String version() {
        var version = AgentMain.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
