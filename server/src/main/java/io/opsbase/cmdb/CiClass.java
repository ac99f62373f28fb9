package io.opsbase.cmdb;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A CMDB class: its typed attributes (current ones only; removed attributes live on in history)
 * and its lifecycle. {@code hardware} classes have components.
 */
public record CiClass(
        long id,
        String name,
        String label,
        String description,
        boolean builtin,
        boolean hardware,
        Lifecycle lifecycle,
        List<AttributeDefinition> attributes,
        int version,
        Instant createdAt,
        Instant updatedAt) {

    public CiClass {
        attributes = List.copyOf(attributes);
    }

    public Optional<AttributeDefinition> attribute(String attributeName) {
        return attributes.stream().filter(a -> a.name().equals(attributeName)).findFirst();
    }
}
