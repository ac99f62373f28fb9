package io.opsbase.protocol.inventory;

/** The operating system: {@code name} "Debian GNU/Linux", {@code version} "13", kernel release, architecture. */
public record OperatingSystem(String name, String version, String kernel, String architecture) {
}
