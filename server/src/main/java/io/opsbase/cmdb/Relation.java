package io.opsbase.cmdb;

import java.time.Instant;

/**
 * A relation seen from one of its CIs. {@code direction} is {@code outgoing} when that CI is the
 * source ({@code label} then reads "runs on"), {@code incoming} when it is the target
 * ({@code label} reads "runs"). {@code ci} is the CI at the other end.
 */
public record Relation(long id, String type, String direction, String label, long sourceId, long targetId,
        RelationEnd ci, Instant createdAt, String createdBy) {
}
