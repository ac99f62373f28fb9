package io.opsbase.cmdb;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A configuration item as the API shows it. {@code id} is issued by the server, never changes and
 * is never reused; {@code version} is the ETag and grows by one on every change to this document.
 * Attribute values are normalised by type (integers as {@code Long}, decimals as
 * {@code BigDecimal}, dates/datetimes/ips/macs as canonical strings, references as CI ids).
 */
public record ConfigurationItem(
        long id,
        @JsonProperty("class") String className,
        String name,
        String state,
        Map<String, Object> attributes,
        String ownerTeam,
        List<String> tags,
        Instant createdAt,
        Instant updatedAt,
        int version,
        boolean retired) {
}
