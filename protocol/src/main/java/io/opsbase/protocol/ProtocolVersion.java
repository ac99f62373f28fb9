package io.opsbase.protocol;

/**
 * The version of the agent protocol. Sent by the agent in the {@value #HEADER} header of every
 * request and echoed at enrollment. A server accepts every agent with the same major version; a
 * minor version only adds optional fields (both sides ignore fields they do not know).
 *
 * <p>1.1 added batch-signed tasks ({@link SignedTask#batch}); a 1.0 agent would ignore the proof and
 * refuse such a task as badly signed, so the server signs the tasks of a poll that announces 1.0
 * alone.
 */
public record ProtocolVersion(int major, int minor) implements Comparable<ProtocolVersion> {

    public static final String HEADER = "X-Opsbase-Protocol";
    public static final ProtocolVersion CURRENT = new ProtocolVersion(1, 1);

    public ProtocolVersion {
        if (major < 0 || minor < 0) {
            throw new IllegalArgumentException("protocol version parts must not be negative");
        }
    }

    /** Parses {@code "1.0"}. */
    public static ProtocolVersion parse(String text) {
        var dot = text == null ? -1 : text.indexOf('.');
        if (dot <= 0 || dot == text.length() - 1) {
            throw new IllegalArgumentException("protocol version must look like 1.0: " + text);
        }
        try {
            return new ProtocolVersion(Integer.parseInt(text.substring(0, dot)), Integer.parseInt(text.substring(dot + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("protocol version must look like 1.0: " + text, e);
        }
    }

    public boolean isCompatibleWith(ProtocolVersion other) {
        return major == other.major;
    }

    @Override
    public int compareTo(ProtocolVersion other) {
        return major != other.major ? Integer.compare(major, other.major) : Integer.compare(minor, other.minor);
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
