package io.opsbase.protocol.inventory;

/** One installed package as the package manager names it. */
public record InstalledPackage(String name, String version) {
}
