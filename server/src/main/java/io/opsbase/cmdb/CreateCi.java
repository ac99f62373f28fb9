package io.opsbase.cmdb;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A new configuration item: the body of {@code POST /api/v1/cis} and the argument of
 * {@link CiService#create}. {@code state} is optional (the class lifecycle's initial state when
 * null); missing attributes take their class default.
 */
public record CreateCi(
        @JsonProperty("class") String className,
        String name,
        Map<String, Object> attributes,
        String ownerTeam,
        List<String> tags,
        String state) {

    public CreateCi {
        attributes = attributes == null ? Map.of() : attributes;
        tags = tags == null ? List.of() : tags;
    }

    public static CreateCi of(String className, String name, Map<String, Object> attributes) {
        return new CreateCi(className, name, attributes, null, List.of(), null);
    }
}
