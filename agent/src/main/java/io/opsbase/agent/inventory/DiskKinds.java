package io.opsbase.agent.inventory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Tells HDD from SSD, NVMe and virtual disks. Linux exposes no single flag for it: NVMe shows in
 * the device name, virtual disks in the name (vd*, xvd*) or the model the hypervisor reports, and
 * spinning disks in {@code /sys/block/<name>/queue/rotational}.
 */
public final class DiskKinds {

    private DiskKinds() {
    }

    /** Whether a block device is a real disk worth inventorying (not a loop, RAM or optical device). */
    public static boolean isDisk(String name) {
        var base = baseName(name);
        return !(base.startsWith("loop") || base.startsWith("ram") || base.startsWith("zram") || base.startsWith("sr")
                || base.startsWith("fd") || base.startsWith("dm-") || base.startsWith("md") || base.startsWith("nbd"));
    }

    public static String classify(String name, String model, Path sysBlock) {
        var base = baseName(name);
        var lowerModel = model == null ? "" : model.toLowerCase(Locale.ROOT);
        if (base.startsWith("nvme")) {
            return "NVME";
        }
        if (base.startsWith("vd") || base.startsWith("xvd") || lowerModel.contains("qemu") || lowerModel.contains("vbox")
                || lowerModel.contains("virtual") || lowerModel.contains("vmware")) {
            return "VIRTUAL";
        }
        try {
            var rotational = Files.readString(sysBlock.resolve(base).resolve("queue/rotational")).strip();
            return "1".equals(rotational) ? "HDD" : "SSD";
        } catch (IOException e) {
            return "UNKNOWN";
        }
    }

    static String baseName(String name) {
        var slash = name.lastIndexOf('/');
        return slash < 0 ? name : name.substring(slash + 1);
    }
}
