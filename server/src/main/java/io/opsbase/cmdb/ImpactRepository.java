package io.opsbase.cmdb;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The one query per BFS level: every live CI one relation away from a frontier, in the
 * propagation direction. Relation types are seeded by migration and never change at run time, so
 * their flows are read once.
 */
@Repository
class ImpactRepository {

    /** Large frontiers go in chunks so no statement exceeds the drivers' bind-parameter limits. */
    private static final int CHUNK = 1000;

    private static final String STEP = """
            select r.type, r.source_id, r.target_id, c.id, c.name, k.name, c.state
            from ci_relations r join cis c on c.id = r.%2$s join cmdb_classes k on k.id = c.class_id
            where r.%1$s in (:frontier) and r.type in (:%3$s) and c.retired_at is null""";

    private static final String DOWNSTREAM = STEP.formatted("target_id", "source_id", "toSource")
            + " union all " + STEP.formatted("source_id", "target_id", "toTarget");
    private static final String UPSTREAM = STEP.formatted("source_id", "target_id", "toSource")
            + " union all " + STEP.formatted("target_id", "source_id", "toTarget");

    private final JdbcClient jdbc;
    private volatile Map<ImpactFlow, List<String>> typesByFlow;

    ImpactRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A relation followed from the frontier, and the CI it leads to. */
    record Step(String type, long sourceId, long targetId, ImpactGraph.Node neighbour) {
    }

    Optional<ImpactGraph.Node> root(long ciId) {
        return jdbc.sql("""
                select c.id, c.name, k.name, c.state from cis c join cmdb_classes k on k.id = c.class_id
                where c.id = :id""")
                .param("id", ciId)
                .query((rs, n) -> new ImpactGraph.Node(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), 0))
                .optional();
    }

    List<Step> step(Collection<Long> frontier, ImpactDirection direction, int neighbourDepth) {
        Map<ImpactFlow, List<String>> flows = flows();
        String sql = direction == ImpactDirection.DOWNSTREAM ? DOWNSTREAM : UPSTREAM;
        List<Long> ids = List.copyOf(frontier);
        List<Step> steps = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += CHUNK) {
            steps.addAll(jdbc.sql(sql)
                    .param("frontier", ids.subList(from, Math.min(ids.size(), from + CHUNK)))
                    .param("toSource", flows.get(ImpactFlow.TO_SOURCE))
                    .param("toTarget", flows.get(ImpactFlow.TO_TARGET))
                    .query((rs, n) -> new Step(rs.getString(1), rs.getLong(2), rs.getLong(3),
                            new ImpactGraph.Node(rs.getLong(4), rs.getString(5), rs.getString(6), rs.getString(7),
                                    neighbourDepth)))
                    .list());
        }
        return steps;
    }

    private Map<ImpactFlow, List<String>> flows() {
        Map<ImpactFlow, List<String>> flows = typesByFlow;
        if (flows == null) {
            Map<ImpactFlow, List<String>> loaded = new EnumMap<>(ImpactFlow.class);
            for (ImpactFlow flow : ImpactFlow.values()) {
                // An empty IN list is not valid SQL; a name no type has matches nothing.
                loaded.put(flow, new ArrayList<>(List.of("-")));
            }
            jdbc.sql("select name, impact_flow from relation_types").query(rs -> {
                loaded.get(ImpactFlow.of(rs.getString(2))).add(rs.getString(1));
            });
            typesByFlow = flows = loaded;
        }
        return flows;
    }
}
