package io.opsbase;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClass;
import org.springframework.modulith.core.ApplicationModules;

/**
 * Keeps features apart: each top-level package under {@code io.opsbase} is a module whose
 * sub-packages ({@code internal}) are private, and modules must not depend on each other in a
 * cycle. A feature reaches another only through its top-level types (facade, records, events).
 */
class ModularityTest {

    /** The wire contract and the storage engine are libraries of their own, not features of the server. */
    static final ApplicationModules MODULES = ApplicationModules.of(OpsbaseApplication.class,
            JavaClass.Predicates.resideInAnyPackage("io.opsbase.protocol..", "io.opsbase.metrics.."));

    @Test
    void featuresOnlyUseEachOthersPublicFaceAndFormNoCycles() {
        MODULES.verify();
    }
}
