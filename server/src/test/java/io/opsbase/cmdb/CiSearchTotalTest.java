package io.opsbase.cmdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.transaction.support.TransactionTemplate;

import io.opsbase.cmdb.internal.CiWriter;

/**
 * The total of a search: exact up to {@link CiSearch#COUNT_LIMIT} matches, null beyond, and
 * given on the first page only — whether the first page holds every match or not.
 */
@SpringBootTest
@Import(RelationFixtures.class)
class CiSearchTotalTest {

    @Autowired
    RelationFixtures fixtures;

    @Autowired
    ClassCatalog classes;

    @Autowired
    CiImportWriter importWriter;

    @Autowired
    CiSearch search;

    @Autowired
    TransactionTemplate transaction;

    @Test
    void countsUpToTheLimitAndLeavesTheTotalOutBeyondIt() {
        String className = "Bulk" + UUID.randomUUID().toString().substring(0, 8).replace("-", "");
        fixtures.ensureClass(className);
        CiClass ciClass = classes.get(className);
        List<CiWriter.Document> documents = new ArrayList<>();
        for (int i = 0; i <= CiSearch.COUNT_LIMIT; i++) {
            documents.add(new CiWriter.Document("bulk-" + i, "planned", i < 3 ? "few-" + className : null, List.of(),
                    Map.of(), false));
        }
        transaction.executeWithoutResult(s -> importWriter.createAll(ciClass, documents, RelationFixtures.CTX));

        var beyond = search.search(query(Map.of("class", List.of(className), "limit", List.of("20"))));
        assertThat(beyond.items()).hasSize(20);
        assertThat(beyond.total()).as("more than the count limit").isNull();

        var few = search.search(query(Map.of("class", List.of(className), "owner", List.of("few-" + className))));
        assertThat(few.items()).hasSize(3);
        assertThat(few.total()).isEqualTo(3L);

        var firstOfFew = search.search(query(Map.of("class", List.of(className), "owner", List.of("few-" + className),
                "limit", List.of("2"))));
        assertThat(firstOfFew.total()).isEqualTo(3L);
        var secondOfFew = search.search(query(Map.of("class", List.of(className), "owner", List.of("few-" + className),
                "limit", List.of("2"), "cursor", List.of(firstOfFew.next()))));
        assertThat(secondOfFew.items()).hasSize(1);
        assertThat(secondOfFew.total()).as("counted on the first page only").isNull();
    }

    private static CiQuery query(Map<String, List<String>> parameters) {
        return CiQuery.fromParameters(parameters);
    }
}
