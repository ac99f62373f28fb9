package io.opsbase.discovery.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import io.opsbase.discovery.MatchReason;
import io.opsbase.protocol.ProtocolJson;
import io.opsbase.protocol.inventory.SmbiosUuid;
import tools.jackson.core.type.TypeReference;

/** discovery_hosts and discovery_host_macs: the identity index identity resolution searches. */
@Repository
public class HostRepository {

    private static final TypeReference<List<MatchReason>> REASONS = new TypeReference<>() {
    };

    private final JdbcClient jdbc;

    HostRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<StoredHost> find(long ciId) {
        return withMacs(jdbc.sql("select * from discovery_hosts where ci_id = :id").param("id", ciId)
                .query(HostRepository::map).list()).stream().findFirst();
    }

    /**
     * Hosts sharing at least one piece of evidence with {@code e}: serial, SMBIOS UUID (either byte
     * order), machine-id, a MAC or the short hostname. Hostname and MAC hits are returned too, so the
     * admin sees look-alikes; the resolver decides what they are worth.
     *
     * <p>One indexed lookup per kind of evidence, then the hosts by primary key: a single query
     * joining the kinds with {@code or} is a full scan of discovery_hosts on H2 (it uses no index for
     * an {@code or} across columns), which made every report cost time in proportion to the number
     * of hosts (see docs/benchmarks.md, "Agents and discovery").
     */
    public List<StoredHost> candidates(HostEvidence e) {
        Set<Long> ids = new TreeSet<>();
        if (e.serial() != null) {
            ids.addAll(ciIds("select ci_id from discovery_hosts where serial = :v", e.serial()));
        }
        if (e.smbiosUuid() != null) {
            ids.addAll(ciIds("select ci_id from discovery_hosts where smbios_uuid in (:v)",
                    List.of(e.smbiosUuid(), SmbiosUuid.byteSwapped(e.smbiosUuid()))));
        }
        if (e.machineId() != null) {
            ids.addAll(ciIds("select ci_id from discovery_hosts where machine_id = :v", e.machineId()));
        }
        if (e.hostKey() != null) {
            ids.addAll(ciIds("select ci_id from discovery_hosts where host_key = :v", e.hostKey()));
        }
        if (!e.macs().isEmpty()) {
            ids.addAll(ciIds("select ci_id from discovery_host_macs where mac in (:v)", List.copyOf(e.macs())));
        }
        if (ids.isEmpty()) {
            return List.of();
        }
        List<Long> first = ids.stream().limit(50).toList();
        return withMacs(jdbc.sql("select * from discovery_hosts where ci_id in (:ids) order by ci_id")
                .param("ids", first).query(HostRepository::map).list());
    }

    private List<Long> ciIds(String sql, Object value) {
        return jdbc.sql(sql + " limit 51").param("v", value).query(Long.class).list();
    }

    public void save(StoredHost h) {
        save(h, Optional.empty());
    }

    /**
     * Writes the host's index entry; {@code previous} is the entry as read earlier in this
     * transaction (its MACs are then not read again), empty when there was none.
     */
    public void save(StoredHost h, Optional<StoredHost> previous) {
        var e = h.evidence();
        int updated = jdbc.sql("""
                update discovery_hosts set agent_id = :agentId, hostname = :hostname, host_key = :hostKey,
                    serial = :serial, manufacturer = :manufacturer, smbios_uuid = :uuid, machine_id = :machineId,
                    os = :os, cpu = :cpu, cpu_cores = :cores, memory_bytes = :memory, content_hash = :hash,
                    score = :score, confidence = :confidence, reasons = :reasons, last_report_at = :lastReport
                where ci_id = :ciId""")
                .params(params(h, e)).update();
        if (updated == 0) {
            jdbc.sql("""
                    insert into discovery_hosts (ci_id, agent_id, hostname, host_key, serial, manufacturer, smbios_uuid,
                        machine_id, os, cpu, cpu_cores, memory_bytes, content_hash, score, confidence, reasons,
                        first_seen_at, last_report_at)
                    values (:ciId, :agentId, :hostname, :hostKey, :serial, :manufacturer, :uuid, :machineId, :os, :cpu,
                        :cores, :memory, :hash, :score, :confidence, :reasons, :firstSeen, :lastReport)""")
                    .params(params(h, e)).update();
        }
        Set<String> stored = previous.isPresent() && previous.get().ciId() == h.ciId() ? previous.get().macs()
                : new HashSet<>(jdbc.sql("select mac from discovery_host_macs where ci_id = :id")
                        .param("id", h.ciId()).query(String.class).list());
        if (!stored.equals(h.macs())) {
            jdbc.sql("delete from discovery_host_macs where ci_id = :id").param("id", h.ciId()).update();
            List<String> macs = List.copyOf(h.macs());
            if (!macs.isEmpty()) {
                jdbc.sql("insert into discovery_host_macs (ci_id, mac) values " + "(?, ?), ".repeat(macs.size() - 1) + "(?, ?)")
                        .params(macs.stream().<Object>mapMulti((mac, out) -> {
                            out.accept(h.ciId());
                            out.accept(mac);
                        }).toList())
                        .update();
            }
        }
    }

    /** An unchanged report: only the time moves. */
    public void touch(long ciId, Instant now) {
        jdbc.sql("update discovery_hosts set last_report_at = :now where ci_id = :id")
                .param("now", Timestamp.from(now)).param("id", ciId).update();
    }

    public void assignAgent(long ciId, long agentId) {
        jdbc.sql("update discovery_hosts set agent_id = :agent where ci_id = :id").param("agent", agentId).param("id", ciId).update();
    }

    /** No agent reports for the CI any more (its agent moved to another CI). */
    public void releaseAgent(long ciId) {
        jdbc.sql("update discovery_hosts set agent_id = null where ci_id = :id").param("id", ciId).update();
    }

    /** Keyset page by CI id; {@code staleBefore} non-null keeps only hosts last reporting before it. */
    public List<StoredHost> list(long afterCiId, int limit, String hostnameContains) {
        StringBuilder sql = new StringBuilder("select * from discovery_hosts where ci_id > :after");
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("after", afterCiId);
        if (hostnameContains != null) {
            sql.append(" and host_key like :q escape '\\'");
            params.put("q", "%" + hostnameContains.toLowerCase(java.util.Locale.ROOT)
                    .replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
        }
        sql.append(" order by ci_id limit ").append(limit);
        return withMacs(jdbc.sql(sql.toString()).params(params).query(HostRepository::map).list());
    }

    /**
     * Keyset page by CI id for the hosts page: {@code text} (optional) matches part of the hostname
     * or the serial, case-insensitively; {@code os} (optional) is the exact OS as stored.
     */
    public List<StoredHost> page(long afterCiId, int limit, String text, String os) {
        StringBuilder sql = new StringBuilder("select * from discovery_hosts where ci_id > :after");
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("after", afterCiId);
        if (text != null) {
            sql.append(" and (lower(hostname) like :q escape '\\' or lower(serial) like :q escape '\\')");
            params.put("q", "%" + text.toLowerCase(java.util.Locale.ROOT)
                    .replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
        }
        if (os != null) {
            sql.append(" and os = :os");
            params.put("os", os);
        }
        sql.append(" order by ci_id limit ").append(limit);
        return withMacs(jdbc.sql(sql.toString()).params(params).query(HostRepository::map).list());
    }

    /** The distinct operating systems of discovered hosts, for the hosts page's filter. */
    public List<String> operatingSystems(int limit) {
        return jdbc.sql("select distinct os from discovery_hosts where os is not null order by os limit " + limit)
                .query(String.class).list();
    }

    private static Map<String, Object> params(StoredHost h, HostEvidence e) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("ciId", h.ciId());
        p.put("agentId", h.agentId());
        p.put("hostname", truncate(h.hostname(), 255));
        p.put("hostKey", e.hostKey());
        p.put("serial", e.serial());
        p.put("manufacturer", e.manufacturer());
        p.put("uuid", e.smbiosUuid());
        p.put("machineId", e.machineId());
        p.put("os", truncate(h.os(), 300));
        p.put("cpu", truncate(h.cpu(), 300));
        p.put("cores", h.cpuCores());
        p.put("memory", h.memoryBytes());
        p.put("hash", h.contentHash());
        p.put("score", h.score());
        p.put("confidence", h.confidence());
        p.put("reasons", ProtocolJson.mapper().writeValueAsString(h.reasons()));
        p.put("firstSeen", Timestamp.from(h.firstSeenAt()));
        p.put("lastReport", Timestamp.from(h.lastReportAt()));
        return p;
    }

    private List<StoredHost> withMacs(List<StoredHost> hosts) {
        if (hosts.isEmpty()) {
            return hosts;
        }
        Map<Long, Set<String>> macs = new LinkedHashMap<>();
        jdbc.sql("select ci_id, mac from discovery_host_macs where ci_id in (:ids)")
                .param("ids", hosts.stream().map(StoredHost::ciId).toList())
                .query((rs, n) -> macs.computeIfAbsent(rs.getLong(1), k -> new HashSet<>()).add(rs.getString(2))).list();
        return hosts.stream().map(h -> {
            var e = h.evidence();
            var withMacs = new HostEvidence(e.hostname(), e.hostKey(), e.serial(), e.manufacturer(), e.smbiosUuid(),
                    e.machineId(), Set.copyOf(macs.getOrDefault(h.ciId(), Set.of())));
            return new StoredHost(h.ciId(), h.agentId(), h.hostname(), withMacs, h.os(), h.cpu(), h.cpuCores(),
                    h.memoryBytes(), h.contentHash(), h.score(), h.confidence(), h.reasons(), h.firstSeenAt(), h.lastReportAt());
        }).toList();
    }

    private static StoredHost map(ResultSet rs, int n) throws SQLException {
        long agent = rs.getLong("agent_id");
        Long agentId = rs.wasNull() ? null : agent;
        int cores = rs.getInt("cpu_cores");
        Integer cpuCores = rs.wasNull() ? null : cores;
        long memory = rs.getLong("memory_bytes");
        Long memoryBytes = rs.wasNull() ? null : memory;
        var evidence = new HostEvidence(rs.getString("hostname"), rs.getString("host_key"), rs.getString("serial"),
                rs.getString("manufacturer"), rs.getString("smbios_uuid"), rs.getString("machine_id"), Set.of());
        return new StoredHost(rs.getLong("ci_id"), agentId, rs.getString("hostname"), evidence, rs.getString("os"),
                rs.getString("cpu"), cpuCores, memoryBytes, rs.getString("content_hash"), rs.getInt("score"),
                rs.getString("confidence"), ProtocolJson.mapper().readValue(rs.getString("reasons"), REASONS),
                rs.getTimestamp("first_seen_at").toInstant(), rs.getTimestamp("last_report_at").toInstant());
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
