package io.opsbase.web;

/**
 * A one-line confirmation shown at the top of the next page after a form post (a flash
 * attribute named {@value #ATTRIBUTE}): {@code key} is a message key, {@code arg} its one argument.
 */
public record Notice(String key, String arg, boolean error) {

    public static final String ATTRIBUTE = "notice";

    public static Notice success(String key, String arg) {
        return new Notice(key, arg, false);
    }

    public static Notice failure(String key, String arg) {
        return new Notice(key, arg, true);
    }
}
