package io.opsbase.cmdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class LifecycleTest {

    private final Lifecycle standard = Lifecycle.standard();

    @Test
    void standardLifecycleIsAValidStateMachineStartingPlanned() {
        assertThat(standard.problems()).isEmpty();
        assertThat(standard.initial()).isEqualTo("planned");
    }

    @Test
    void walksTheHappyPathFromPlannedToDisposed() {
        List<String> path = List.of("planned", "in_stock", "deployed", "in_use", "offline", "retired", "disposed");
        for (int i = 0; i + 1 < path.size(); i++) {
            assertThat(standard.permits(path.get(i), path.get(i + 1))).as(path.get(i) + " → " + path.get(i + 1)).isTrue();
        }
    }

    @Test
    void movesBetweenInUseAndMaintenanceBothWays() {
        assertThat(standard.permits("in_use", "maintenance")).isTrue();
        assertThat(standard.permits("maintenance", "in_use")).isTrue();
    }

    @Test
    void allowsTheObviousReturns() {
        assertThat(standard.permits("offline", "in_use")).isTrue();
        assertThat(standard.permits("deployed", "in_stock")).isTrue();
        assertThat(standard.permits("in_stock", "planned")).isTrue();
    }

    @Test
    void rejectsTransitionFromRetiredToInUse() {
        assertThat(standard.permits("retired", "in_use")).isFalse();
        assertThat(standard.allowed("retired")).containsExactly("disposed", "offline");
    }

    @Test
    void disposedIsFinal() {
        assertThat(standard.allowed("disposed")).isEmpty();
    }

    @Test
    void rejectsSkippingStatesAndStayingPut() {
        assertThat(standard.permits("planned", "in_use")).isFalse();
        assertThat(standard.permits("in_use", "in_use")).isFalse();
        assertThat(standard.permits("in_use", "disposed")).isFalse();
    }

    @Test
    void unknownStateAllowsNothing() {
        assertThat(standard.allowed("flying")).isEmpty();
        assertThat(standard.permits("flying", "in_use")).isFalse();
    }

    @Test
    void reportsAnInitialStateThatIsNotAState() {
        var broken = new Lifecycle("draft", List.of("a", "b"), Map.of("a", List.of("b")));
        assertThat(broken.problems()).anyMatch(p -> p.contains("initial state 'draft'"));
    }

    @Test
    void reportsTransitionsToUnknownStatesAndSelfLoops() {
        var broken = new Lifecycle("a", List.of("a", "b"), Map.of("a", List.of("c", "a"), "z", List.of("a")));
        assertThat(broken.problems()).anyMatch(p -> p.contains("unknown state 'c'"))
                .anyMatch(p -> p.contains("goes nowhere"))
                .anyMatch(p -> p.contains("from unknown state 'z'"));
    }

    @Test
    void reportsBadlyNamedAndDuplicateStates() {
        var broken = new Lifecycle("a", List.of("a", "a", "In Use"), Map.of());
        assertThat(broken.problems()).anyMatch(p -> p.contains("distinct")).anyMatch(p -> p.contains("'In Use'"));
    }

    @Test
    void aCustomLifecycleIsItsOwnTable() {
        var simple = new Lifecycle("active", List.of("active", "inactive"),
                Map.of("active", List.of("inactive"), "inactive", List.of("active")));
        assertThat(simple.problems()).isEmpty();
        assertThat(simple.allowed("active")).containsExactly("inactive");
        assertThat(simple.permits("inactive", "active")).isTrue();
    }
}
