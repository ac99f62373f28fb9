package io.opsbase.agent.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.opsbase.protocol.inventory.InstalledPackage;

class PackageListsTest {

    @Test
    void parsesDpkgOutputRecordedOnDebian() throws IOException {
        var packages = PackageLists.parse(fixture("dpkg-debian12.txt"));

        assertThat(packages).hasSize(40).contains(new InstalledPackage("adduser", "3.134"));
        assertThat(packages).extracting(InstalledPackage::name).isSorted().doesNotContain("removed-but-not-purged");
    }

    @Test
    void parsesRpmQueryFormatOutputAndDropsTheZeroEpoch() throws IOException {
        var packages = PackageLists.parse(fixture("rpm-written-in-rpm-format.txt"));

        assertThat(packages).containsExactly(
                new InstalledPackage("bash", "5.1.8-9.el9"),
                new InstalledPackage("glibc", "2.34-100.el9_4.2"),
                new InstalledPackage("gpg-pubkey", "8483c65d-5ccc5b19"),
                new InstalledPackage("kernel", "5.14.0-427.13.1.el9_4"),
                new InstalledPackage("openssl-libs", "1:3.0.7-27.el9"));
    }

    @Test
    void ignoresBlankAndMalformedLines() {
        assertThat(PackageLists.parse("\n\nno-tab-here\n\tno-name\nok\t1.0\n")).containsExactly(new InstalledPackage("ok", "1.0"));
    }

    private static String fixture(String name) throws IOException {
        try (var in = PackageListsTest.class.getResourceAsStream("/fixtures/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
