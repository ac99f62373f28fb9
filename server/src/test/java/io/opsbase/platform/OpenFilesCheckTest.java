package io.opsbase.platform;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OpenFilesCheckTest {

    @Test
    void aLimitBelowTheConnectionsAndTheReserveIsWarnedAboutWithTheNumbersToSet() {
        var warning = OpenFilesCheck.warning(4_096, 18_000);
        assertThat(warning).isPresent();
        assertThat(warning.get()).contains("4096", "19000", "server.tomcat.max-connections=18000", "ulimit -n 19000",
                "LimitNOFILE=19000", "at most 3096");
    }

    @Test
    void aLimitThatCoversTheConnectionsAndTheReserveIsNot() {
        assertThat(OpenFilesCheck.warning(20_000, 18_000)).isEmpty();
        assertThat(OpenFilesCheck.warning(19_000, 18_000)).isEmpty();
        assertThat(OpenFilesCheck.warning(18_999, 18_000)).isPresent();
    }

    @Test
    void anUnknownLimitOrUnlimitedConnectionsAreNotCompared() {
        assertThat(OpenFilesCheck.warning(-1, 18_000)).isEmpty();
        assertThat(OpenFilesCheck.warning(1_024, -1)).isEmpty();
    }
}
