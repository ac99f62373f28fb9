package io.opsbase.cmdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import io.opsbase.platform.InvalidInputException;
import io.opsbase.platform.PreconditionFailedException;

/** Concurrent writers on the real engine: no lost update, one winner per version, unique values stay unique. */
@SpringBootTest
class CiConcurrencyTest {

    @Autowired
    CiService cis;

    @Autowired
    CiHistory history;

    @Autowired
    CiSearch search;

    @Autowired
    org.springframework.transaction.support.TransactionTemplate tx;

    static final ChangeContext API = ChangeContext.api("racer", null);

    /** Runs the tasks at the same moment and returns what each did: a value or the exception it threw. */
    static List<Object> race(List<Callable<Object>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Object>> futures = new ArrayList<>();
            for (Callable<Object> task : tasks) {
                futures.add(pool.submit(() -> {
                    start.await();
                    try {
                        return task.call();
                    } catch (RuntimeException e) {
                        return e;
                    }
                }));
            }
            start.countDown();
            List<Object> results = new ArrayList<>();
            for (Future<Object> f : futures) {
                results.add(f.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentPatchesWithoutIfMatchAreBothApplied() throws Exception {
        long id = cis.create(CreateCi.of("Server", "race-" + UUID.randomUUID(), Map.of()), API).id();
        List<Object> results = race(List.of(
                () -> cis.update(id, Map.of("attributes", Map.of("cpu_count", 8)), null, API),
                () -> cis.update(id, Map.of("attributes", Map.of("os", "debian")), null, API)));
        assertThat(results).allMatch(r -> r instanceof ConfigurationItem);
        ConfigurationItem after = cis.get(id);
        assertThat(after.version()).isEqualTo(3);
        assertThat(after.attributes()).containsKeys("cpu_count", "os");
    }

    @Test
    void concurrentPatchesWithTheSameIfMatchHaveOneWinner() throws Exception {
        long id = cis.create(CreateCi.of("Server", "race-" + UUID.randomUUID(), Map.of()), API).id();
        List<Object> results = race(List.of(
                () -> cis.update(id, Map.of("attributes", Map.of("cpu_count", 8)), 1, API),
                () -> cis.update(id, Map.of("attributes", Map.of("cpu_count", 16)), 1, API)));
        assertThat(results).filteredOn(r -> r instanceof ConfigurationItem).hasSize(1);
        assertThat(results).filteredOn(r -> r instanceof PreconditionFailedException).hasSize(1);
        assertThat(cis.get(id).version()).isEqualTo(2);
        assertThat(history.forCi(id, null, 10).total()).isEqualTo(2);
    }

    @Test
    void concurrentCreatesCannotShareAUniqueValue() throws Exception {
        String serial = "SN-" + UUID.randomUUID();
        List<Object> results = race(List.of(
                () -> cis.create(CreateCi.of("Server", "a", Map.of("serial_number", serial)), API),
                () -> cis.create(CreateCi.of("Server", "b", Map.of("serial_number", serial)), API)));
        assertThat(results).filteredOn(r -> r instanceof ConfigurationItem).hasSize(1);
        assertThat(results).filteredOn(r -> r instanceof InvalidInputException).hasSize(1);
        assertThat(search.search(CiQuery.attributeEquals("Server", "serial_number", serial, 10)).items()).hasSize(1);
    }

    @Test
    void concurrentPatchesCannotGiveTwoCisTheSameUniqueValue() throws Exception {
        String serial = "SN-" + UUID.randomUUID();
        long a = cis.create(CreateCi.of("Server", "patch-a-" + UUID.randomUUID(), Map.of()), API).id();
        long b = cis.create(CreateCi.of("Server", "patch-b-" + UUID.randomUUID(), Map.of()), API).id();
        List<Object> results = race(List.of(
                () -> cis.update(a, Map.of("attributes", Map.of("serial_number", serial)), null, API),
                () -> cis.update(b, Map.of("attributes", Map.of("serial_number", serial)), null, API),
                () -> cis.create(CreateCi.of("Server", "c", Map.of("serial_number", serial)), API)));
        assertThat(results).filteredOn(r -> r instanceof ConfigurationItem).hasSize(1);
        assertThat(results).filteredOn(r -> r instanceof InvalidInputException).hasSize(2);
        assertThat(search.search(CiQuery.attributeEquals("Server", "serial_number", serial, 10)).items()).hasSize(1);
    }

    @Test
    @Timeout(60) // a guard, not a speed check: with the class lock this write waited for ever on PostgreSQL
    void patchesThatSetNoUniqueValueDoNotWaitForAWriterHoldingOne() throws Exception {
        // A writer that set a unique value holds its stripe until it commits; a write of another CI of
        // the class that changes no unique value must not need it (it waited on the class row before).
        long held = cis.create(CreateCi.of("Server", "held-" + UUID.randomUUID(), Map.of()), API).id();
        long other = cis.create(CreateCi.of("Server", "other-" + UUID.randomUUID(), Map.of("serial_number",
                "SN-" + UUID.randomUUID())), API).id();
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<?> holder = pool.submit(() -> tx.executeWithoutResult(s -> {
                cis.update(held, Map.of("attributes", Map.of("serial_number", "SN-" + UUID.randomUUID())), null, API);
                holding.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            holding.await();
            try {
                ConfigurationItem changed = cis.update(other, Map.of("attributes", Map.of("os", "debian 12.8")), null, API);
                assertThat(changed.attributes()).containsEntry("os", "debian 12.8");
            } finally {
                release.countDown();
            }
            holder.get();
        } finally {
            pool.shutdownNow();
        }
    }
}
