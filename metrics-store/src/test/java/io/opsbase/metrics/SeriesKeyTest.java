package io.opsbase.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class SeriesKeyTest {

    @Test
    void parsesPrometheusNotationWithEscapesAndSortsLabels() {
        SeriesKey key = SeriesKey.parse("node_filesystem_avail_bytes{mountpoint=\"/\",device=\"a\\\"b\\\\c\\nd\"}");
        assertThat(key.name()).isEqualTo("node_filesystem_avail_bytes");
        assertThat(key.labels()).containsExactly(Map.entry("device", "a\"b\\c\nd"), Map.entry("mountpoint", "/"));
        assertThat(key.format()).isEqualTo("node_filesystem_avail_bytes{device=\"a\\\"b\\\\c\\nd\",mountpoint=\"/\"}");
        assertThat(SeriesKey.parse("up")).isEqualTo(SeriesKey.parse("up{}"));
    }

    @Test
    void rejectsMalformedLabels() {
        assertThatThrownBy(() -> SeriesKey.parse("up{a=b}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SeriesKey.parse("up{a=\"b\"")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SeriesKey.parse("up{a=\"1\",a=\"2\"}")).isInstanceOf(IllegalArgumentException.class);
    }

    @Property(tries = 300)
    void formatThenParseGivesTheSameKey(@ForAll("keys") SeriesKey key) {
        assertThat(SeriesKey.parse(key.format())).isEqualTo(key);
    }

    @Property(tries = 50)
    void theIndexGivesDenseStableIds(@ForAll("keys") SeriesKey key) {
        SeriesIndex index = new SeriesIndex();
        for (int i = 0; i < 3000; i++) {
            assertThat(index.getOrAdd(SeriesKey.of("m" + i, key.labels()))).isEqualTo(i);
        }
        assertThat(index.find(SeriesKey.of("m1234", key.labels()))).isEqualTo(1234);
        assertThat(index.key(2999)).isEqualTo(SeriesKey.of("m2999", key.labels()));
        assertThat(index.find(SeriesKey.of("absent", key.labels()))).isEqualTo(-1);
    }

    @Provide
    Arbitrary<SeriesKey> keys() {
        Arbitrary<String> names = Arbitraries.strings().withCharRange('a', 'z').withChars('_', ':').ofMinLength(1).ofMaxLength(20);
        Arbitrary<String> values = Arbitraries.strings().ofMaxLength(15);
        return net.jqwik.api.Combinators.combine(names, Arbitraries.maps(names, values).ofMaxSize(5))
                .as(SeriesKey::of);
    }
}
