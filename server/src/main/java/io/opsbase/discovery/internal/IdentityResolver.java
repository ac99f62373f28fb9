package io.opsbase.discovery.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.springframework.stereotype.Component;

import io.opsbase.cmdb.CiQuery;
import io.opsbase.cmdb.CiSearch;
import io.opsbase.cmdb.CiService;
import io.opsbase.cmdb.ConfigurationItem;
import io.opsbase.discovery.IdentityMatch;
import io.opsbase.discovery.MatchReason;
import io.opsbase.platform.NotFoundException;
import io.opsbase.protocol.inventory.SmbiosUuid;

/**
 * Matches an inventory's evidence to CIs and explains each match with a score. The weights
 * (see {@code docs/architecture.md}, "Discovery"):
 *
 * <pre>
 *   agent bound to the CI              +100  anchor
 *   SMBIOS UUID equal (either order)    +50  anchor      differs: -40
 *   serial and manufacturer equal       +50  anchor      serial differs: -60
 *   serial equal, a manufacturer unknown +35 anchor
 *   serial equal, manufacturers differ  +10
 *   machine-id equal                    +50  anchor
 *   physical MAC set overlap             up to +20 (20 × shared / union)
 *   short hostname equal                +10
 * </pre>
 *
 * Scores are clamped to 0–100. Candidates come from the discovery identity index and from CMDB
 * attributes ({@code serial_number}, {@code smbios_uuid}) of CIs no agent has reported for yet.
 * Missing evidence simply adds nothing, so a VM without DMI is matched on machine-id, MACs and
 * hostname with the lower score shown.
 */
@Component
public class IdentityResolver {

    static final int BINDING = 100;
    static final int UUID = 50;
    static final int UUID_DIFFERS = -40;
    static final int SERIAL_AND_MANUFACTURER = 50;
    static final int SERIAL_ONLY = 35;
    static final int SERIAL_OTHER_MANUFACTURER = 10;
    static final int SERIAL_DIFFERS = -60;
    static final int MACHINE_ID = 50;
    static final int MAC_SET = 20;
    static final int HOSTNAME = 10;

    private final HostRepository hosts;
    private final CiSearch search;
    private final CiService cis;

    IdentityResolver(HostRepository hosts, CiSearch search, CiService cis) {
        this.hosts = hosts;
        this.search = search;
        this.cis = cis;
    }

    /** Every CI the evidence points at, best first; the bound CI (when given) is always among them. */
    public List<IdentityMatch> resolve(HostEvidence reported, Long boundCiId) {
        Map<Long, Known> known = new LinkedHashMap<>();
        for (StoredHost h : hosts.candidates(reported)) {
            known.put(h.ciId(), new Known(h.ciId(), h.agentId(), h.evidence(), true));
        }
        if (boundCiId != null && !known.containsKey(boundCiId)) {
            known.put(boundCiId, hosts.find(boundCiId).map(h -> new Known(h.ciId(), h.agentId(), h.evidence(), true))
                    .orElseGet(() -> fromCmdb(boundCiId)));
        }
        if (boundCiId == null) {
            // CIs people entered (imports, forms) are candidates for hosts discovery has not placed yet.
            for (Long ciId : cmdbHolders(reported)) {
                known.computeIfAbsent(ciId, this::fromCmdb);
            }
        }
        List<IdentityMatch> matches = new ArrayList<>();
        for (Known k : known.values()) {
            if (k != null) {
                matches.add(score(reported, k, Objects.equals(boundCiId, k.ciId())));
            }
        }
        matches.sort(Comparator.comparingInt(IdentityMatch::score).reversed().thenComparingLong(IdentityMatch::ciId));
        return matches;
    }

    /**
     * The identity of a CI just created from this very inventory: the agent binding and every piece
     * of evidence the inventory carries (it matches itself).
     */
    public IdentityMatch ofNewHost(HostEvidence reported, long ciId, long agentId) {
        return score(reported, new Known(ciId, agentId, reported, true), true);
    }

    /**
     * The score of a host discovery already indexed, as {@link #resolve} gives it for the bound CI
     * (agent binding included) — for a report whose agent already reports for that CI.
     */
    public IdentityMatch ofKnownHost(HostEvidence reported, StoredHost known) {
        return score(reported, new Known(known.ciId(), known.agentId(), known.evidence(), true), true);
    }

    /** The evidence a CI is known by: from the discovery index, or (never discovered) from its attributes. */
    record Known(long ciId, Long agentId, HostEvidence evidence, boolean discovered) {
    }

    static IdentityMatch score(HostEvidence r, Known k, boolean bound) {
        HostEvidence c = k.evidence();
        List<MatchReason> reasons = new ArrayList<>();
        boolean anchored = false;
        boolean contradicted = false;
        if (bound) {
            reasons.add(new MatchReason("agent-binding", BINDING, "the reporting agent is bound to CI " + k.ciId()));
            anchored = true;
        }
        if (r.smbiosUuid() != null && c.smbiosUuid() != null) {
            if (r.smbiosUuid().equals(c.smbiosUuid()) || SmbiosUuid.byteSwapped(r.smbiosUuid()).equals(c.smbiosUuid())) {
                reasons.add(new MatchReason("smbios-uuid", UUID, "SMBIOS UUID " + r.smbiosUuid() + " matches"
                        + (r.smbiosUuid().equals(c.smbiosUuid()) ? "" : " (other byte order)")));
                anchored = true;
            } else {
                reasons.add(new MatchReason("smbios-uuid-differs", UUID_DIFFERS, "SMBIOS UUID " + r.smbiosUuid()
                        + " differs from the CI's " + c.smbiosUuid()));
                contradicted = true;
            }
        }
        if (r.serial() != null && c.serial() != null) {
            if (!r.serial().equals(c.serial())) {
                reasons.add(new MatchReason("serial-differs", SERIAL_DIFFERS, "serial " + r.serial()
                        + " differs from the CI's " + c.serial()));
                contradicted = true;
            } else if (r.manufacturer() != null && c.manufacturer() != null && !r.manufacturer().equals(c.manufacturer())) {
                reasons.add(new MatchReason("serial", SERIAL_OTHER_MANUFACTURER, "serial " + r.serial()
                        + " matches but the manufacturer differs (" + r.manufacturer() + " / " + c.manufacturer() + ")"));
            } else if (r.manufacturer() != null && c.manufacturer() != null) {
                reasons.add(new MatchReason("serial+manufacturer", SERIAL_AND_MANUFACTURER, "serial " + r.serial()
                        + " from " + r.manufacturer() + " matches"));
                anchored = true;
            } else {
                reasons.add(new MatchReason("serial", SERIAL_ONLY, "serial " + r.serial()
                        + " matches; the manufacturer is unknown on one side"));
                anchored = true;
            }
        }
        if (r.machineId() != null && c.machineId() != null) {
            if (r.machineId().equals(c.machineId())) {
                reasons.add(new MatchReason("machine-id", MACHINE_ID, "machine-id " + r.machineId() + " matches"));
                anchored = true;
            } else {
                reasons.add(new MatchReason("machine-id-differs", 0,
                        "machine-id differs (normal after an OS reinstall)"));
            }
        }
        if (!r.macs().isEmpty() && !c.macs().isEmpty()) {
            Set<String> shared = new HashSet<>(r.macs());
            shared.retainAll(c.macs());
            Set<String> union = new HashSet<>(r.macs());
            union.addAll(c.macs());
            if (!shared.isEmpty()) {
                int points = Math.max(1, Math.round(MAC_SET * (float) shared.size() / union.size()));
                reasons.add(new MatchReason("mac-set", points, shared.size() + " of " + union.size()
                        + " physical MACs shared"));
            }
        }
        if (r.hostKey() != null && r.hostKey().equals(c.hostKey())) {
            reasons.add(new MatchReason("hostname", HOSTNAME, "hostname " + r.hostKey()
                    + " matches (weak: never decisive on its own)"));
        }
        if (!k.discovered()) {
            reasons.add(new MatchReason("cmdb-record", 0, "CI " + k.ciId()
                    + " is in the CMDB but no agent has reported for it yet"));
        }
        int score = Math.clamp(reasons.stream().mapToInt(MatchReason::weight).sum(), 0, 100);
        return new IdentityMatch(k.ciId(), score, IdentityMatch.confidenceOf(score), anchored, contradicted, reasons, k.agentId());
    }

    /** Live CIs (any class) whose serial_number or smbios_uuid attribute holds the reported value. */
    private Set<Long> cmdbHolders(HostEvidence r) {
        Set<Long> ids = new HashSet<>();
        if (r.serial() != null) {
            search.search(CiQuery.attributeEquals(null, "serial_number", r.serial(), 5)).items()
                    .forEach(ci -> ids.add(ci.id()));
        }
        if (r.smbiosUuid() != null) {
            for (String uuid : List.of(r.smbiosUuid(), SmbiosUuid.byteSwapped(r.smbiosUuid()))) {
                search.search(CiQuery.attributeEquals(null, "smbios_uuid", uuid, 5)).items()
                        .forEach(ci -> ids.add(ci.id()));
            }
        }
        return ids;
    }

    private Known fromCmdb(long ciId) {
        ConfigurationItem ci;
        try {
            ci = cis.get(ciId);
        } catch (NotFoundException e) {
            return null;
        }
        if (ci.retired()) {
            return null;
        }
        Map<String, Object> a = ci.attributes();
        String mac = text(a.get("mac_address"));
        String hostname = text(a.get("hostname"));
        var evidence = new HostEvidence(hostname, HostEvidence.hostKey(hostname), HostEvidence.serial(text(a.get("serial_number"))),
                HostEvidence.manufacturer(text(a.get("manufacturer"))),
                SmbiosUuid.normalise(text(a.get("smbios_uuid"))).orElse(null), null,
                mac == null ? Set.of() : Set.of(mac.toLowerCase(java.util.Locale.ROOT)));
        return new Known(ciId, null, evidence, false);
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }
}
