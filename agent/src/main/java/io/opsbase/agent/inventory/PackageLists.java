package io.opsbase.agent.inventory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import io.opsbase.protocol.inventory.InstalledPackage;

/**
 * Parses the package manager's list of installed packages, one {@code name<TAB>version} per line,
 * as these commands print it:
 *
 * <pre>
 * dpkg-query -W -f='${Package}\t${Version}\n'
 * rpm -qa --qf '%{NAME}\t%{EPOCHNUM}:%{VERSION}-%{RELEASE}\n'
 * </pre>
 *
 * Lines without a tab or with an empty name or version are skipped (dpkg lists removed-but-not-
 * purged packages with an empty version). The result is sorted by name, then version.
 */
public final class PackageLists {

    public static final List<String> DPKG_COMMAND = List.of("dpkg-query", "-W", "-f=${Package}\t${Version}\n");
    public static final List<String> RPM_COMMAND = List.of("rpm", "-qa", "--qf", "%{NAME}\t%{EPOCHNUM}:%{VERSION}-%{RELEASE}\n");

    private PackageLists() {
    }

    public static List<InstalledPackage> parse(String output) {
        var packages = new ArrayList<InstalledPackage>();
        for (var line : output.split("\n")) {
            var tab = line.indexOf('\t');
            if (tab <= 0) {
                continue;
            }
            var name = line.substring(0, tab).strip();
            var version = line.substring(tab + 1).strip();
            if (!name.isEmpty() && !version.isEmpty()) {
                packages.add(new InstalledPackage(name, rpmVersion(version)));
            }
        }
        packages.sort(Comparator.comparing(InstalledPackage::name).thenComparing(InstalledPackage::version));
        return List.copyOf(packages);
    }

    /** rpm prints epoch 0 for packages without one; the version reads as users know it without "0:". */
    private static String rpmVersion(String version) {
        return version.startsWith("0:") ? version.substring(2) : version;
    }
}
