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
}
