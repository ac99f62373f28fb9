package io.opsbase.discovery;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

import org.springframework.stereotype.Component;

/**
 * Formats inventory quantities for the host pages as {@code ${@hostFormat.bytes(x)}}: sizes in
 * binary units (what {@code free} and {@code lsblk} show), link speeds and clock rates in decimal
 * ones (what vendors print). Null stays empty, so a value the firmware did not give shows as a gap.
 */
@Component("hostFormat")
public class HostFormat {

    private static final String[] BINARY = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};

    public String bytes(Long bytes) {
        if (bytes == null) {
            return "";
        }
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < BINARY.length - 1) {
            value /= 1024;
            unit++;
        }
        return (unit == 0 ? Long.toString(bytes) : decimal(value)) + " " + BINARY[unit];
    }

    public String bitsPerSecond(Long bps) {
        return decimalUnits(bps, "bit/s");
    }

    public String hertz(Long hz) {
        return decimalUnits(hz, "Hz");
    }

    /** Used share of a filesystem in whole percent; empty when its size is unknown. */
    public String usedPercent(long total, long free) {
        if (total <= 0) {
            return "";
        }
        return Math.round(100.0 * (total - free) / total) + " %";
    }

    /** An uptime as {@code 12d 3h} or {@code 3h 20m}. */
    public String duration(Long seconds) {
        if (seconds == null) {
            return "";
        }
        long days = seconds / 86_400;
        long hours = seconds % 86_400 / 3600;
        long minutes = seconds % 3600 / 60;
        return days > 0 ? days + "d " + hours + "h" : hours > 0 ? hours + "h " + minutes + "m" : minutes + "m";
    }

    private static String decimalUnits(Long value, String suffix) {
        if (value == null) {
            return "";
        }
        String[] prefixes = {"", "k", "M", "G", "T"};
        double v = value;
        int p = 0;
        while (v >= 1000 && p < prefixes.length - 1) {
            v /= 1000;
            p++;
        }
        return decimal(v) + " " + prefixes[p] + suffix;
    }

    private static String decimal(double value) {
        return BigDecimal.valueOf(value).setScale(value >= 100 ? 0 : 1, RoundingMode.HALF_UP).stripTrailingZeros()
                .toPlainString().toLowerCase(Locale.ROOT);
    }
}
