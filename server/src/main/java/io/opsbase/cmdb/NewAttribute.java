package io.opsbase.cmdb;

import java.util.List;

/**
 * An attribute to add to a class, as callers send it: the body of
 * {@code POST /api/v1/classes/{name}/attributes} and an entry of a new class. {@code type} is
 * one of string, text, integer, decimal, boolean, date, datetime, enum, ip, mac, url, reference.
 */
public record NewAttribute(String name, String label, String type, Boolean required, Boolean unique, String pattern,
        Object defaultValue, List<String> enumValues, String refClass) {

    public NewAttribute {
        required = required != null && required;
        unique = unique != null && unique;
    }

    public static NewAttribute of(String name, String type) {
        return new NewAttribute(name, null, type, false, false, null, null, null, null);
    }
}
