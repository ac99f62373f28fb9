package io.opsbase.protocol.inventory;

import java.util.List;

/** Installed memory; {@code modules} is empty where the firmware tables cannot be read. */
public record Memory(long totalBytes, List<MemoryModule> modules) {

    public Memory {
        modules = modules == null ? List.of() : List.copyOf(modules);
    }
}
