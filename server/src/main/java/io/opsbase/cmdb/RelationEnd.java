package io.opsbase.cmdb;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The CI at one end of a relation, as a relation or impact listing shows it. */
public record RelationEnd(long id, String name, @JsonProperty("class") String className, String state) {
}
