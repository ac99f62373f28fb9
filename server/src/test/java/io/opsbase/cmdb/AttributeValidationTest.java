package io.opsbase.cmdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.opsbase.cmdb.internal.AttributeValidator;
import io.opsbase.platform.InvalidInputException.FieldViolation;

/** Schema validation, every attribute type, without a database. */
class AttributeValidationTest {

    static AttributeDefinition attr(String name, AttributeType type) {
        return new AttributeDefinition(name, null, type, false, false, null, null, List.of(), null);
    }

    static final CiClass SERVER = new CiClass(1, "Server", "Server", null, true, true, Lifecycle.standard(), List.of(
            new AttributeDefinition("hostname", null, AttributeType.STRING, true, false, "[a-z0-9-]+", null, List.of(), null),
            attr("notes", AttributeType.TEXT),
            attr("cpu_count", AttributeType.INTEGER),
            attr("memory_gb", AttributeType.DECIMAL),
            attr("virtual", AttributeType.BOOLEAN),
            attr("purchase_date", AttributeType.DATE),
            attr("last_seen", AttributeType.DATETIME),
            new AttributeDefinition("env", null, AttributeType.ENUM, false, false, null, "prod", List.of("prod", "dev"), null),
            attr("ip_address", AttributeType.IP),
            attr("mac_address", AttributeType.MAC),
            attr("console", AttributeType.URL),
            new AttributeDefinition("rack", null, AttributeType.REFERENCE, false, false, null, null, List.of(), "Rack")),
            1, Instant.EPOCH, Instant.EPOCH);

    static Object valid(AttributeType type, Object raw) {
        return type.normalize(raw);
    }

    static String invalid(AttributeType type, Object raw) {
        try {
            type.normalize(raw);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        throw new AssertionError(type + " accepted " + raw);
    }

    @Test
    void stringAcceptsTextUpToItsLimitOnly() {
        assertThat(valid(AttributeType.STRING, "web-01")).isEqualTo("web-01");
        assertThat(invalid(AttributeType.STRING, 5)).isEqualTo("must be a string");
        assertThat(invalid(AttributeType.STRING, "x".repeat(1001))).contains("at most 1000");
        assertThat(valid(AttributeType.TEXT, "x".repeat(5000))).isEqualTo("x".repeat(5000));
    }

    @Test
    void integerAcceptsWholeNumbersOnly() {
        assertThat(valid(AttributeType.INTEGER, 8)).isEqualTo(8L);
        assertThat(valid(AttributeType.INTEGER, new BigDecimal("16.0"))).isEqualTo(16L);
        assertThat(invalid(AttributeType.INTEGER, 8.5)).isEqualTo("must be an integer");
        assertThat(invalid(AttributeType.INTEGER, "8")).isEqualTo("must be an integer");
        assertThat(invalid(AttributeType.INTEGER, new BigDecimal("1e30"))).contains("between");
    }

    @Test
    void decimalNormalisesTrailingZerosAndRejectsText() {
        assertThat(valid(AttributeType.DECIMAL, new BigDecimal("31.50"))).isEqualTo(new BigDecimal("31.5"));
        assertThat(valid(AttributeType.DECIMAL, 100)).isEqualTo(new BigDecimal("100"));
        assertThat(invalid(AttributeType.DECIMAL, "1.5")).isEqualTo("must be a number");
        assertThat(invalid(AttributeType.DECIMAL, new BigDecimal("0.00000000001"))).contains("10 decimal places");
    }

    @Test
    void booleanAcceptsOnlyJsonBooleans() {
        assertThat(valid(AttributeType.BOOLEAN, true)).isEqualTo(true);
        assertThat(invalid(AttributeType.BOOLEAN, "true")).contains("true or false");
    }

    @Test
    void dateAndDatetimeAreIsoAndNormalisedToUtc() {
        assertThat(valid(AttributeType.DATE, "2026-02-28")).isEqualTo("2026-02-28");
        assertThat(invalid(AttributeType.DATE, "2026-02-30")).contains("date");
        assertThat(invalid(AttributeType.DATE, "28/02/2026")).contains("date");
        assertThat(valid(AttributeType.DATETIME, "2026-02-28T10:00:00+02:00")).isEqualTo("2026-02-28T08:00:00Z");
        assertThat(invalid(AttributeType.DATETIME, "2026-02-28T10:00:00")).contains("offset");
    }

    @Test
    void enumAcceptsOnlyItsValues() {
        AttributeDefinition env = SERVER.attribute("env").orElseThrow();
        assertThat(AttributeValidator.normalize(env, "dev")).isEqualTo("dev");
        assertThatThrownBy(() -> AttributeValidator.normalize(env, "qa")).hasMessageContaining("one of prod, dev");
    }

    @Test
    void ipAcceptsV4AndV6LiteralsWithoutResolvingNames() {
        assertThat(valid(AttributeType.IP, "10.0.0.1")).isEqualTo("10.0.0.1");
        assertThat(valid(AttributeType.IP, "2001:DB8::1")).isEqualTo("2001:db8:0:0:0:0:0:1");
        assertThat(invalid(AttributeType.IP, "10.0.0.256")).contains("IPv4 or IPv6");
        assertThat(invalid(AttributeType.IP, "localhost")).contains("IPv4 or IPv6");
        assertThat(invalid(AttributeType.IP, "1:2:3")).contains("IPv4 or IPv6");
    }

    @Test
    void macIsNormalisedToLowerCaseColons() {
        assertThat(valid(AttributeType.MAC, "00-1A-2B-3C-4D-5E")).isEqualTo("00:1a:2b:3c:4d:5e");
        assertThat(invalid(AttributeType.MAC, "00:1a:2b:3c:4d")).contains("MAC");
        assertThat(invalid(AttributeType.MAC, "00:1a-2b:3c:4d:5e")).contains("MAC");
    }

    @Test
    void urlNeedsASchemeAndHost() {
        assertThat(valid(AttributeType.URL, "https://idrac.example.net/login")).isEqualTo("https://idrac.example.net/login");
        assertThat(invalid(AttributeType.URL, "idrac.example.net")).contains("absolute");
        assertThat(invalid(AttributeType.URL, "javascript:alert(1)")).contains("absolute");
        assertThat(invalid(AttributeType.URL, "http://bad host/")).contains("valid URL");
    }

    @Test
    void referenceIsAPositiveCiId() {
        AttributeDefinition rack = SERVER.attribute("rack").orElseThrow();
        assertThat(AttributeValidator.normalize(rack, 42)).isEqualTo(42L);
        assertThatThrownBy(() -> AttributeValidator.normalize(rack, 0)).hasMessageContaining("Rack");
        assertThatThrownBy(() -> AttributeValidator.normalize(rack, "rack-1")).hasMessageContaining("integer");
    }

    @Test
    void patternMustMatchTheWholeValue() {
        AttributeDefinition hostname = SERVER.attribute("hostname").orElseThrow();
        assertThat(AttributeValidator.normalize(hostname, "web-01")).isEqualTo("web-01");
        assertThatThrownBy(() -> AttributeValidator.normalize(hostname, "Web 01")).hasMessageContaining("pattern");
    }

    @Test
    void reportsEveryBadFieldAndUnknownAttributesAtOnce() {
        Map<String, Object> changes = new LinkedHashMap<>();
        changes.put("hostname", "ok-1");
        changes.put("cpu_count", "many");
        changes.put("colour", "red");
        changes.put("virtual", "yes");
        var result = AttributeValidator.apply(SERVER, Map.of(), changes, true);
        assertThat(result.violations()).extracting(FieldViolation::field)
                .containsExactlyInAnyOrder("attributes.cpu_count", "attributes.colour", "attributes.virtual");
    }

    @Test
    void appliesDefaultsOnCreateAndRequiresRequiredAttributes() {
        var result = AttributeValidator.apply(SERVER, Map.of(), Map.of(), true);
        assertThat(result.violations()).extracting(FieldViolation::field).containsExactly("attributes.hostname");
        assertThat(result.attributes()).containsEntry("env", "prod");
    }

    @Test
    void nullRemovesAnAttributeButNotARequiredOne() {
        Map<String, Object> current = Map.of("hostname", "a", "cpu_count", 4L);
        Map<String, Object> changes = new LinkedHashMap<>();
        changes.put("cpu_count", null);
        var ok = AttributeValidator.apply(SERVER, current, changes, false);
        assertThat(ok.violations()).isEmpty();
        assertThat(ok.attributes()).containsOnlyKeys("hostname");

        changes.put("hostname", null);
        var bad = AttributeValidator.apply(SERVER, current, changes, false);
        assertThat(bad.violations()).extracting(FieldViolation::message).containsExactly("is required");
    }

    @Test
    void updatesDoNotApplyDefaults() {
        var result = AttributeValidator.apply(SERVER, Map.of("hostname", "a"), Map.of("cpu_count", 2), false);
        assertThat(result.attributes()).doesNotContainKey("env").containsEntry("cpu_count", 2L);
    }

    @Test
    void unknownTypeKeyIsRejectedWithTheListOfTypes() {
        assertThatThrownBy(() -> AttributeType.fromKey("float")).hasMessageContaining("integer, decimal");
        assertThat(AttributeType.fromKey("reference")).isEqualTo(AttributeType.REFERENCE);
    }
}
