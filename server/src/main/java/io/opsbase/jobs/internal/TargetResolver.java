package io.opsbase.jobs.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.stereotype.Component;

import io.opsbase.cmdb.CiQuery;
import io.opsbase.cmdb.CiSearch;
import io.opsbase.cmdb.CiService;
import io.opsbase.cmdb.ConfigurationItem;
import io.opsbase.jobs.Targets;
import io.opsbase.platform.ApiException;
import io.opsbase.platform.InvalidInputException;

/**
 * Turns {@link Targets} into CI ids, in a stable order: explicit ids as given (each must be a live
 * CI), a CMDB query through {@link CiSearch} at the moment of the call, a group through its own
 * ids or query. A query is the query string of {@code GET /api/v1/cis}; text without {@code =} is
 * the free-text {@code q}.
 */
@Component
public class TargetResolver {

    public static final int MAX_HOSTS = 50_000;

    private final CiSearch search;
    private final CiService cis;
    private final HostGroupRepository groups;

    TargetResolver(CiSearch search, CiService cis, HostGroupRepository groups) {
        this.search = search;
        this.cis = cis;
        this.groups = groups;
    }

    public List<Long> resolve(Targets targets) {
        if (targets == null) {
            throw new InvalidInputException("targets", "is required: {\"ciIds\": [...]}, {\"query\": \"...\"} or {\"groupId\": id}");
        }
        int given = (targets.ciIds() != null ? 1 : 0) + (targets.query() != null ? 1 : 0) + (targets.groupId() != null ? 1 : 0);
        if (given != 1) {
            throw new InvalidInputException("targets", "give exactly one of ciIds, query and groupId");
        }
        if (targets.groupId() != null) {
            var group = groups.find(targets.groupId())
                    .orElseThrow(() -> new InvalidInputException("targets.groupId", "no host group " + targets.groupId()));
            return resolve(new Targets(group.ciIds(), group.query(), null));
        }
        List<Long> ids = targets.ciIds() != null ? explicit(targets.ciIds()) : query(targets.query());
        if (ids.isEmpty()) {
            throw new InvalidInputException("targets", "match no hosts");
        }
        return ids;
    }

    private List<Long> explicit(List<Long> ciIds) {
        Set<Long> ids = new LinkedHashSet<>();
        for (Long id : ciIds) {
            if (id != null) {
                ids.add(id);
            }
        }
        if (ids.size() > MAX_HOSTS) {
            throw new InvalidInputException("targets.ciIds", "at most " + MAX_HOSTS + " hosts");
        }
        Map<Long, ConfigurationItem> found = new java.util.HashMap<>();
        for (ConfigurationItem ci : cis.getAll(List.copyOf(ids))) {
            found.put(ci.id(), ci);
        }
        List<InvalidInputException.FieldViolation> missing = new ArrayList<>();
        for (Long id : ids) {
            ConfigurationItem ci = found.get(id);
            if (ci == null) {
                missing.add(new InvalidInputException.FieldViolation("targets.ciIds", "CI " + id + " does not exist"));
            } else if (ci.retired()) {
                missing.add(new InvalidInputException.FieldViolation("targets.ciIds", "CI " + id + " is retired"));
            }
        }
        if (!missing.isEmpty()) {
            throw new InvalidInputException(missing);
        }
        return List.copyOf(ids);
    }

    private List<Long> query(String text) {
        if (text.isBlank() || text.length() > 2000) {
            throw new InvalidInputException("targets.query", "must be 1-2000 characters");
        }
        Map<String, List<String>> parameters = parse(text);
        List<Long> ids = new ArrayList<>();
        String cursor = null;
        do {
            Map<String, List<String>> page = new LinkedHashMap<>(parameters);
            page.put("limit", List.of(Integer.toString(CiQuery.MAX_LIMIT)));
            page.put("sort", List.of("id"));
            if (cursor != null) {
                page.put("cursor", List.of(cursor));
            }
            var result = search(page);
            result.items().forEach(ci -> ids.add(ci.id()));
            cursor = result.next();
            if (ids.size() > MAX_HOSTS) {
                throw new InvalidInputException("targets.query", "matches more than " + MAX_HOSTS + " hosts");
            }
        } while (cursor != null);
        return ids;
    }

    private io.opsbase.platform.Page<ConfigurationItem> search(Map<String, List<String>> parameters) {
        try {
            return search.search(CiQuery.fromParameters(parameters));
        } catch (ApiException e) {
            // A malformed query is a field of this request, not a bad request of its own.
            throw new InvalidInputException("targets.query", e.getMessage());
        }
    }

    static Map<String, List<String>> parse(String text) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        if (!text.contains("=")) {
            parameters.put("q", List.of(text.strip()));
            return parameters;
        }
        for (String pair : text.strip().split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            parameters.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return parameters;
    }
}
