package io.opsbase.agent.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FirmwareEvidenceTest {

    @TempDir
    Path tmp;

    @Test
    void turnsVendorPlaceholdersIntoNothing() {
        assertThat(FirmwareText.clean("To Be Filled By O.E.M.")).isNull();
        assertThat(FirmwareText.clean(" Default string ")).isNull();
        assertThat(FirmwareText.clean("unknown")).isNull();
        assertThat(FirmwareText.clean("0123456789")).isNull();
        assertThat(FirmwareText.clean(null)).isNull();
    }

    @Test
    void keepsRealValuesTrimmed() {
        assertThat(FirmwareText.clean(" 7N5G2S2 ")).isEqualTo("7N5G2S2");
        assertThat(FirmwareText.clean("Dell Inc.")).isEqualTo("Dell Inc.");
    }

    @Test
    void readsTheMachineIdFromTheFirstFileThatHasOne() throws IOException {
        var empty = Files.writeString(tmp.resolve("etc-machine-id"), "uninitialized\n");
        var dbus = Files.writeString(tmp.resolve("dbus-machine-id"), "3D1219C7C4C5404AAA1F6D2A48ADFDA4\n");

        assertThat(MachineId.read(List.of(tmp.resolve("absent"), empty, dbus))).contains("3d1219c7c4c5404aaa1f6d2a48adfda4");
    }

    @Test
    void findsNoMachineIdWhereThereIsNone() {
        assertThat(MachineId.read(List.of(tmp.resolve("absent")))).isEmpty();
        assertThat(MachineId.parse("0".repeat(32))).isEmpty();
    }

    @Test
    void classifiesDisksByNameModelAndRotationalFlag() throws IOException {
        Files.createDirectories(tmp.resolve("sda/queue"));
        Files.writeString(tmp.resolve("sda/queue/rotational"), "1\n");
        Files.createDirectories(tmp.resolve("sdb/queue"));
        Files.writeString(tmp.resolve("sdb/queue/rotational"), "0\n");

        assertThat(DiskKinds.classify("/dev/sda", "ST4000NM0035", tmp)).isEqualTo("HDD");
        assertThat(DiskKinds.classify("/dev/sdb", "Samsung SSD 870", tmp)).isEqualTo("SSD");
        assertThat(DiskKinds.classify("/dev/nvme0n1", "Samsung SSD 980 PRO", tmp)).isEqualTo("NVME");
        assertThat(DiskKinds.classify("/dev/vda", null, tmp)).isEqualTo("VIRTUAL");
        assertThat(DiskKinds.classify("/dev/sdc", "QEMU HARDDISK", tmp)).isEqualTo("VIRTUAL");
        assertThat(DiskKinds.classify("/dev/sdz", "Mystery", tmp)).isEqualTo("UNKNOWN");
    }

    @Test
    void leavesLoopRamAndOpticalDevicesOut() {
        assertThat(DiskKinds.isDisk("/dev/loop3")).isFalse();
        assertThat(DiskKinds.isDisk("/dev/zram0")).isFalse();
        assertThat(DiskKinds.isDisk("/dev/sr0")).isFalse();
        assertThat(DiskKinds.isDisk("/dev/sda")).isTrue();
        assertThat(DiskKinds.isDisk("/dev/nvme0n1")).isTrue();
    }
}
