package io.opsbase.cmdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import io.opsbase.cmdb.internal.GraphChangeLog;
import io.opsbase.testing.MutableClock;

/**
 * The in-memory relation graph stays exactly in step with ci_relations: changes through
 * {@link RelationService} on this server, changes written by another server on the same database
 * (seen only through the change log), changes whose transaction commits after a later one (a gap
 * in the change ids), and the caller's own uncommitted changes, which are visible to the caller
 * only and gone after a rollback.
 */
@SpringBootTest
@Import(RelationFixtures.class)
class RelationGraphTest {

    @Autowired
    RelationFixtures fixtures;

    @Autowired
    RelationService relations;

    @Autowired
    RelationRepository repository;

    @Autowired
    GraphChangeLog changeLog;

    @Autowired
    ImpactService impact;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate transaction;

    @Autowired
    CiService cis;

    @Test
    void followsRelationsAddedAndRemovedAfterItWasLoaded() {
        long srv = fixtures.ci("Server", "g-srv");
        long vm = fixtures.ci("VirtualMachine", "g-vm");
        assertThat(reached(srv)).isEmpty();
        Relation r = relations.add(vm, "runs_on", srv, RelationFixtures.CTX);
        assertThat(reached(srv)).containsExactly(vm);
        relations.remove(vm, r.id(), RelationFixtures.CTX);
        assertThat(reached(srv)).isEmpty();
    }

    @Test
    void anotherServerSeesChangesThroughTheChangeLog() {
        RelationGraph other = new RelationGraph(repository, changeLog, new MutableClock(Instant.now()));
        long srv = fixtures.ci("Server", "o-srv");
        long vm = fixtures.ci("VirtualMachine", "o-vm");
        assertThat(outgoing(other, vm)).isEmpty();
        Relation r = relations.add(vm, "runs_on", srv, RelationFixtures.CTX);
        assertThat(outgoing(other, vm)).containsExactly(srv);
        relations.remove(vm, r.id(), RelationFixtures.CTX);
        assertThat(outgoing(other, vm)).isEmpty();
    }

    @Test
    void appliesAChangeThatCommitsAfterALaterOne() {
        MutableClock clock = new MutableClock(Instant.now());
        RelationGraph other = new RelationGraph(repository, changeLog, clock);
        long srv = fixtures.ci("Server", "gap-srv");
        long vm1 = fixtures.ci("VirtualMachine", "gap-vm1");
        long vm2 = fixtures.ci("VirtualMachine", "gap-vm2");
        outgoing(other, vm1); // loaded
        long last = jdbc.sql("select coalesce(max(id), 0) from cmdb_graph_changes").query(Long.class).single();
        try {
            // The transaction that took id last+1 commits after the one that took last+2.
            logAdded(last + 2, vm2, srv);
            assertThat(outgoing(other, vm2)).containsExactly(srv);
            clock.advance(RelationGraph.GAP_TIMEOUT.minus(Duration.ofSeconds(1)));
            logAdded(last + 1, vm1, srv);
            assertThat(outgoing(other, vm1)).containsExactly(srv);
            assertThat(outgoing(other, vm2)).containsExactly(srv);
        } finally {
            jdbc.sql("alter table cmdb_graph_changes alter column id restart with " + (last + 3)).update();
        }
    }

    @Test
    void showsTheCallersOwnUncommittedChangesToItOnlyAndForgetsThemOnRollback() {
        long srv = fixtures.ci("Server", "u-srv");
        long vm = fixtures.ci("VirtualMachine", "u-vm");
        assertThat(reached(srv)).isEmpty();
        transaction.executeWithoutResult(status -> {
            relations.add(vm, "runs_on", srv, RelationFixtures.CTX);
            assertThat(reached(srv)).containsExactly(vm);
            status.setRollbackOnly();
        });
        assertThat(reached(srv)).isEmpty();
        relations.add(vm, "runs_on", srv, RelationFixtures.CTX);
        assertThat(reached(srv)).containsExactly(vm);
    }

    @Test
    void showsANewNameAndStateAndStopsAtACiRetiredAfterAWalkCachedIt() {
        long srv = fixtures.ci("Server", "c-srv");
        long vm = fixtures.ci("VirtualMachine", "c-vm");
        long app = fixtures.ci("Application", "c-app");
        relations.add(vm, "runs_on", srv, RelationFixtures.CTX);
        relations.add(app, "runs_on", vm, RelationFixtures.CTX);
        assertThat(reached(srv)).containsExactly(vm, app);
        cis.update(vm, java.util.Map.of("name", "c-vm-renamed-" + vm), null, RelationFixtures.CTX);
        String state = cis.get(vm).state();
        ImpactGraph.Node renamed = impact.analyse(srv, ImpactDirection.DOWNSTREAM, 3).nodes().getFirst();
        assertThat(renamed.name()).isEqualTo("c-vm-renamed-" + vm);
        assertThat(renamed.state()).isEqualTo(state);
        fixtures.retire(vm);
        assertThat(reached(srv)).isEmpty();
    }

    @Test
    void readsCisTheCallerChangedFromItsOwnTransaction() {
        long srv = fixtures.ci("Server", "t-srv");
        long vm = fixtures.ci("VirtualMachine", "t-vm");
        relations.add(vm, "runs_on", srv, RelationFixtures.CTX);
        assertThat(reached(srv)).containsExactly(vm);
        transaction.executeWithoutResult(status -> {
            fixtures.retire(vm);
            assertThat(reached(srv)).isEmpty();
            status.setRollbackOnly();
        });
        assertThat(reached(srv)).containsExactly(vm);
    }

    @Test
    void aGraphFirstLoadedInsideATransactionThatChangedRelationsKeepsThemOutOfTheSharedGraph() {
        RelationGraph fresh = new RelationGraph(repository, changeLog, new MutableClock(Instant.now()));
        long srv = fixtures.ci("Server", "l-srv");
        long vm = fixtures.ci("VirtualMachine", "l-vm");
        long vm2 = fixtures.ci("VirtualMachine", "l-vm2");
        Relation kept = relations.add(vm2, "runs_on", srv, RelationFixtures.CTX);
        transaction.executeWithoutResult(status -> {
            relations.add(vm, "runs_on", srv, RelationFixtures.CTX);
            relations.remove(vm2, kept.id(), RelationFixtures.CTX);
            assertThat(outgoing(fresh, vm)).containsExactly(srv);
            assertThat(outgoing(fresh, vm2)).isEmpty();
            status.setRollbackOnly();
        });
        assertThat(outgoing(fresh, vm)).isEmpty();
        assertThat(outgoing(fresh, vm2)).containsExactly(srv);
    }

    private List<Long> reached(long ciId) {
        return impact.analyse(ciId, ImpactDirection.DOWNSTREAM, 3).nodes().stream().map(ImpactGraph.Node::id).toList();
    }

    private static List<Long> outgoing(RelationGraph graph, long ciId) {
        return Arrays.stream(graph.current().links(ciId).outgoing()).map(RelationGraph.Link::other).toList();
    }

    /** A relation another server added: the relation row and its change-log row with a chosen id. */
    private void logAdded(long changeId, long source, long target) {
        Timestamp now = Timestamp.from(Instant.now());
        long relationId = jdbc.sql("""
                insert into ci_relations (type, source_id, target_id, created_at, created_by)
                values ('runs_on', :s, :t, :at, 'other-server')""")
                .param("s", source).param("t", target).param("at", now)
                .update(new org.springframework.jdbc.support.GeneratedKeyHolder(), "id") > 0
                        ? jdbc.sql("select id from ci_relations where source_id = :s and target_id = :t")
                                .param("s", source).param("t", target).query(Long.class).single()
                        : -1;
        jdbc.sql("""
                insert into cmdb_graph_changes (id, kind, ci_id, relation_id, type, target_id, changed_at)
                values (:id, 'relation_added', :s, :r, 'runs_on', :t, :at)""")
                .param("id", changeId).param("r", relationId).param("s", source).param("t", target).param("at", now)
                .update();
    }
}
