package io.opsbase.discovery.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.opsbase.discovery.IdentityMatch;
import io.opsbase.discovery.internal.IdentityResolver.Known;
import io.opsbase.discovery.internal.ReconciliationPolicy.Adopt;
import io.opsbase.discovery.internal.ReconciliationPolicy.Create;
import io.opsbase.discovery.internal.ReconciliationPolicy.Queue;
import io.opsbase.protocol.inventory.NetworkInterface;

/** The evidence clean-up, the scoring weights and the policy rules, without a server. */
class IdentityScoringTest {

    static final String UUID = "4c4c4544-0042-3510-8052-b4c04f4e4d32";
    static final String UUID_SWAPPED = "44454c4c-4200-1035-8052-b4c04f4e4d32";

    static HostEvidence evidence(String host, String serial, String manufacturer, String uuid, String machineId, String... macs) {
        return new HostEvidence(host, HostEvidence.hostKey(host), HostEvidence.serial(serial),
                HostEvidence.manufacturer(manufacturer), uuid, machineId, Set.of(macs));
    }

    static Known known(long ciId, Long agentId, HostEvidence e) {
        return new Known(ciId, agentId, e, true);
    }

    @Test
    void placeholderSerialsCountAsMissing() {
        for (String junk : List.of("To Be Filled By O.E.M.", "Default string", "System Serial Number", "0", "None",
                "Not Specified", "  ", "00000000", "N/A", "XXXXXXXX")) {
            assertThat(HostEvidence.serial(junk)).as(junk).isNull();
        }
        assertThat(HostEvidence.serial(" cz2x0k1 ")).isEqualTo("CZ2X0K1");
    }

    @Test
    void virtualAndLocallyAdministeredMacsAreNotEvidenceButKvmGuestsAre() {
        assertThat(HostEvidence.physicalMac(new NetworkInterface("docker0", "3c:ec:ef:00:00:01", null, null, null))).isNull();
        assertThat(HostEvidence.physicalMac(new NetworkInterface("veth12ab", "3c:ec:ef:00:00:02", null, null, null))).isNull();
        assertThat(HostEvidence.physicalMac(new NetworkInterface("eth0", "02:fc:00:00:00:01", null, null, null))).isNull();
        assertThat(HostEvidence.physicalMac(new NetworkInterface("eth0", "00:00:00:00:00:00", null, null, null))).isNull();
        assertThat(HostEvidence.physicalMac(new NetworkInterface("eno1", "3C-EC-EF-00-00-03", null, null, null)))
                .isEqualTo("3c:ec:ef:00:00:03");
        assertThat(HostEvidence.physicalMac(new NetworkInterface("ens3", "52:54:00:12:34:56", null, null, null)))
                .isEqualTo("52:54:00:12:34:56");
    }

    @Test
    void serialWithManufacturerAndUuidInEitherByteOrderScoreHigh() {
        var reported = evidence("web-01", "CZ2X0K1", "Dell Inc.", UUID, null);
        var stored = evidence("web-01.example.net", "cz2x0k1", "DELL INC", UUID_SWAPPED, null);
        IdentityMatch m = IdentityResolver.score(reported, known(7, 3L, stored), false);
        assertThat(m.reasons()).extracting(r -> r.evidence()).containsExactly("smbios-uuid", "serial+manufacturer", "hostname");
        assertThat(m.score()).isEqualTo(100);
        assertThat(m.confidence()).isEqualTo("high");
        assertThat(m.decisive()).isTrue();
    }

    @Test
    void hostnameAndMacsAloneAreNeverDecisive() {
        var reported = evidence("web-01", null, null, null, null, "3c:ec:ef:00:00:01");
        var stored = evidence("web-01", null, null, null, null, "3c:ec:ef:00:00:01");
        IdentityMatch m = IdentityResolver.score(reported, known(7, 3L, stored), false);
        assertThat(m.score()).isEqualTo(30);
        assertThat(m.anchored()).isFalse();
        assertThat(m.decisive()).isFalse();
    }

    @Test
    void differingSerialContradictsAMatchingMachineId() {
        var reported = evidence("a", "SERIAL-A", "HPE", null, "0123456789abcdef");
        var stored = evidence("a", "SERIAL-B", "HPE", null, "0123456789abcdef");
        IdentityMatch m = IdentityResolver.score(reported, known(7, 3L, stored), false);
        assertThat(m.contradicted()).isTrue();
        assertThat(m.decisive()).isFalse();
        assertThat(m.score()).isZero(); // 50 - 60 + 10, clamped
    }

    @Test
    void machineIdOfAVmWithoutDmiIsDecisiveWithMediumConfidence() {
        var reported = evidence("vm-9", null, null, null, "fedcba9876543210");
        var stored = evidence("vm-9-old", null, null, null, "fedcba9876543210");
        IdentityMatch m = IdentityResolver.score(reported, known(7, 3L, stored), false);
        assertThat(m.score()).isEqualTo(50);
        assertThat(m.confidence()).isEqualTo("medium");
        assertThat(m.decisive()).isTrue();
    }

    @Test
    void policyTakesOverFromAnOfflineAgentButQuarantinesALiveOne() {
        var e = evidence("h", "SER1", "Dell", UUID, "aaaaaaaa11111111", "3c:ec:ef:00:00:01");
        var reinstalled = evidence("h", "SER1", "Dell", UUID, "bbbbbbbb22222222", "3c:ec:ef:00:00:01");
        IdentityMatch m = IdentityResolver.score(reinstalled, known(7, 3L, e), false);
        assertThat(ReconciliationPolicy.decide(9, false, List.of(m), agent -> false)).isInstanceOf(Adopt.class);
        var live = ReconciliationPolicy.decide(9, false, List.of(m), agent -> true);
        assertThat(live).isInstanceOfSatisfying(Queue.class, q -> assertThat(q.reason()).isEqualTo("duplicate-identity"));
    }

    @Test
    void policyTreatsTheSameMachineIdAndMacsAsReenrollmentEvenWhileTheOldAgentLooksLive() {
        var e = evidence("h", null, null, null, "aaaaaaaa11111111", "3c:ec:ef:00:00:01");
        IdentityMatch same = IdentityResolver.score(e, known(7, 3L, e), false);
        assertThat(ReconciliationPolicy.decide(9, false, List.of(same), agent -> true)).isInstanceOf(Adopt.class);
        var clone = evidence("h", null, null, null, "aaaaaaaa11111111", "3c:ec:ef:00:00:02");
        IdentityMatch cloned = IdentityResolver.score(clone, known(7, 3L, e), false);
        assertThat(ReconciliationPolicy.decide(9, false, List.of(cloned), agent -> true))
                .isInstanceOfSatisfying(Queue.class, q -> assertThat(q.reason()).isEqualTo("clone"));
    }

    @Test
    void policyQueuesLookAlikesOrCreatesWhenAutoApproved() {
        var e = evidence("h", null, null, null, null);
        IdentityMatch lookAlike = IdentityResolver.score(e, known(7, 3L, e), false);
        assertThat(ReconciliationPolicy.decide(9, false, List.of(lookAlike), agent -> false))
                .isInstanceOfSatisfying(Queue.class, q -> assertThat(q.kind()).isEqualTo("new-host"));
        assertThat(ReconciliationPolicy.decide(9, true, List.of(lookAlike), agent -> false)).isInstanceOf(Create.class);
        var a = evidence("h", "SER1", "Dell", null, null);
        var twoMatches = List.of(IdentityResolver.score(a, known(7, null, a), false),
                IdentityResolver.score(a, known(8, null, a), false));
        assertThat(ReconciliationPolicy.decide(9, true, twoMatches, agent -> false))
                .isInstanceOfSatisfying(Queue.class, q -> assertThat(q.reason()).isEqualTo("ambiguous"));
    }
}
