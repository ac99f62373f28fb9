package io.opsbase.protocol.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SmbiosUuidTest {

    @Test
    void normalisesCaseBracesAndHyphens() {
        assertThat(SmbiosUuid.normalise(" {4C4C4544004E3510804CB7C04F563232} "))
                .contains("4c4c4544-004e-3510-804c-b7c04f563232");
    }

    @Test
    void rejectsPlaceholdersAndGarbage() {
        assertThat(SmbiosUuid.normalise("00000000-0000-0000-0000-000000000000")).isEmpty();
        assertThat(SmbiosUuid.normalise("FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF")).isEmpty();
        assertThat(SmbiosUuid.normalise("03000200-0400-0500-0006-000700080009")).isEmpty();
        assertThat(SmbiosUuid.normalise("unknown")).isEmpty();
        assertThat(SmbiosUuid.normalise(null)).isEmpty();
    }

    @Test
    void swapsTheFirstThreeFieldsBetweenRawAndLittleEndianByteOrder() {
        // The same VMware guest as dmidecode (SMBIOS 2.7) and as a tool reading raw bytes shows it.
        var smbios = "564d5a1c-7a1f-9a3b-2c0e-1d2f3a4b5c6d";
        var raw = "1c5a4d56-1f7a-3b9a-2c0e-1d2f3a4b5c6d";

        assertThat(SmbiosUuid.byteSwapped(smbios)).isEqualTo(raw);
        assertThat(SmbiosUuid.byteSwapped(raw)).isEqualTo(smbios);
    }
}
