package io.opsbase.bench;

import java.util.Arrays;
import java.util.List;
import java.util.StringJoiner;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.opsbase.OpsbaseApplication;
import io.opsbase.jobs.policy.CommandPolicy;
import io.opsbase.jobs.policy.PolicyRequest;

/**
 * Dangerous-command policy benchmark: {@link CommandPolicy#evaluate} with the seeded rules (read from the database
 * on every call, as a job does) on a one-line command, a 200-line deployment script and a 5,000-line script, plus a
 * hostile 64 KiB line of {@code a}s. Each case runs 200 warm-up calls, then as many calls as fit in 10 s (at least
 * 20); prints calls per second and the median and 99th-percentile latency. H2 in memory, no HTTP.
 *
 * <pre>
 * ./mvnw -B -q -o -pl server test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.opsbase.bench.PolicyBenchmark
 * </pre>
 */
public final class PolicyBenchmark {

    public static void main(String[] args) {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(OpsbaseApplication.class)
                .properties("server.port=0", "spring.main.banner-mode=off", "logging.level.root=WARN",
                        "logging.level.io.opsbase=WARN", "opsbase.data-dir=target/bench-data",
                        "opsbase.jobs.schedule-poll=PT1H")
                .run();
        try {
            CommandPolicy policy = context.getBean(CommandPolicy.class);
            System.out.printf("cores=%d java=%s%n", Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
            run(policy, "one line", "sudo systemctl restart nginx && rm -rf /tmp/build");
            run(policy, "200 lines", script(200));
            run(policy, "5000 lines", script(5000));
            run(policy, "64 KiB line", "echo " + "a".repeat(65_536));
        } finally {
            context.close();
        }
    }

    static String script(int lines) {
        String[] shapes = {
            "cd /opt/app/releases/$VERSION && tar xzf /tmp/app-$VERSION.tar.gz",
            "sudo -u app env RAILS_ENV=production ./bin/migrate --verbose 2>&1 | tee -a /var/log/deploy.log",
            "if [ -f /etc/app/config.yml ]; then cp /etc/app/config.yml \"$DEST/config.yml\"; fi",
            "rm -rf /opt/app/releases/old-$(date +%s) # clean up",
            "systemctl reload nginx || echo \"reload failed: $?\" >&2",
        };
        StringJoiner out = new StringJoiner("\n");
        for (int i = 0; i < lines; i++) {
            out.add(shapes[i % shapes.length]);
        }
        return out.toString();
    }

    static void run(CommandPolicy policy, String name, String script) {
        PolicyRequest request = new PolicyRequest("bash", script, List.of(), "bench");
        for (int i = 0; i < 200; i++) {
            policy.evaluate(request);
        }
        long[] samples = new long[1_000_000];
        int n = 0;
        long end = System.nanoTime() + 10_000_000_000L;
        while ((System.nanoTime() < end || n < 20) && n < samples.length) {
            long t = System.nanoTime();
            policy.evaluate(request);
            samples[n++] = System.nanoTime() - t;
        }
        long[] sorted = Arrays.copyOf(samples, n);
        Arrays.sort(sorted);
        double total = Arrays.stream(sorted).sum() / 1e9;
        System.out.printf("%-12s verdict %s%n", name, policy.evaluate(request).verdict());
        System.out.printf("%-12s %6d chars  %8.0f calls/s  p50 %8.3f ms  p99 %8.3f ms  (%d calls)%n", name, script.length(),
                n / total, sorted[n / 2] / 1e6, sorted[(int) (n * 0.99)] / 1e6, n);
    }
}
