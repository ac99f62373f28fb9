package io.opsbase.agent.monitoring;

import java.util.function.Function;
import java.util.function.LongSupplier;

import io.opsbase.agent.collectors.AgentHealthCollector;
import io.opsbase.agent.collectors.Collector;
import io.opsbase.agent.collectors.CpuCollector;
import io.opsbase.agent.collectors.DiskIoCollector;
import io.opsbase.agent.collectors.FilesystemCollector;
import io.opsbase.agent.collectors.MemoryCollector;
import io.opsbase.agent.collectors.NetworkCollector;
import io.opsbase.agent.collectors.ProcFiles;
import io.opsbase.agent.collectors.SystemCollector;
import io.opsbase.agent.collectors.TcpCollector;

/** The built-in collectors by the names templates use. Each call makes a fresh collector (with no previous reading). */
public final class BuiltInCollectors implements Function<String, Collector> {

    private final ProcFiles proc;
    private final LongSupplier outboxEntries;
    private final LongSupplier outboxBytes;

    public BuiltInCollectors(ProcFiles proc, LongSupplier outboxEntries, LongSupplier outboxBytes) {
        this.proc = proc;
        this.outboxEntries = outboxEntries;
        this.outboxBytes = outboxBytes;
    }

    @Override
    public Collector apply(String name) {
        return switch (name) {
            case "cpu" -> new CpuCollector(proc);
            case "system" -> new SystemCollector(proc);
            case "memory" -> new MemoryCollector(proc);
            case "filesystem" -> new FilesystemCollector(proc);
            case "disk" -> new DiskIoCollector(proc);
            case "network" -> new NetworkCollector(proc);
            case "tcp" -> new TcpCollector(proc);
            case "agent" -> new AgentHealthCollector(proc, outboxEntries, outboxBytes);
            default -> null;
        };
    }
}
