package io.opsbase.agent.plugins;

import java.util.Locale;

/**
 * One item of a check's performance data, {@code 'label'=value[UOM];[warn];[crit];[min];[max]},
 * with the value converted to a base unit: seconds for s/ms/us, bytes for B/KB/MB/GB/TB (powers of
 * 1000) and KiB/MiB/GiB/TiB (powers of 1024), and {@code value} NaN when the plugin wrote
 * {@code U} (undetermined). Thresholds are kept as written (they are ranges such as {@code 10:},
 * {@code ~:20} or {@code @5:10}); min and max are converted like the value, NaN when absent.
 */
public record PerfDatum(String label, double value, String unit, String warn, String crit, double min, double max) {

    /** The base unit a plugin's UOM maps to, and the factor into it. */
    record Unit(String name, double factor) {

        static Unit of(String uom) {
            return switch (uom) {
                case "" -> new Unit("", 1);
                case "s" -> new Unit("seconds", 1);
                case "ms" -> new Unit("seconds", 1e-3);
                case "us" -> new Unit("seconds", 1e-6);
                case "%" -> new Unit("percent", 1);
                case "c" -> new Unit("counter", 1);
                case "B" -> new Unit("bytes", 1);
                case "KB", "kB" -> new Unit("bytes", 1e3);
                case "MB" -> new Unit("bytes", 1e6);
                case "GB" -> new Unit("bytes", 1e9);
                case "TB" -> new Unit("bytes", 1e12);
                case "PB" -> new Unit("bytes", 1e15);
                case "KiB" -> new Unit("bytes", 1024d);
                case "MiB" -> new Unit("bytes", 1024d * 1024);
                case "GiB" -> new Unit("bytes", 1024d * 1024 * 1024);
                case "TiB" -> new Unit("bytes", 1024d * 1024 * 1024 * 1024);
                default -> new Unit(uom.toLowerCase(Locale.ROOT), 1);
            };
        }
    }
}
