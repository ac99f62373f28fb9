package io.opsbase.cmdb;

import java.util.List;

/**
 * A user-defined class: the body of {@code POST /api/v1/classes}. A null lifecycle means
 * {@link Lifecycle#standard()}.
 */
public record NewClass(String name, String label, String description, Boolean hardware, Lifecycle lifecycle,
        List<NewAttribute> attributes) {

    public NewClass {
        attributes = attributes == null ? List.of() : attributes;
        hardware = hardware != null && hardware;
    }
}
