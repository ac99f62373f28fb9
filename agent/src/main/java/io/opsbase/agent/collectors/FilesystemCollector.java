package io.opsbase.agent.collectors;

import java.io.IOException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import io.opsbase.agent.plugins.MetricPoint;

/**
 * Usage of mounted filesystems from {@code /proc/self/mounts} and {@code statvfs(3)}:
 * {@code filesystem_size_bytes}, {@code filesystem_free_bytes} (available to unprivileged users,
 * as {@code df} shows), {@code filesystem_used_percent}, {@code filesystem_inodes_total},
 * {@code filesystem_inodes_free} and {@code filesystem_inodes_used_percent}, labelled with
 * mount point, device and type. Pseudo filesystems and the kernel's own mount points are skipped
 * as node_exporter skips them; so are network filesystems, whose {@code statvfs} can hang when
 * the server is gone. A mount point mounted twice is reported once.
 */
public final class FilesystemCollector implements Collector {

    static final Pattern IGNORED_TYPES = Pattern.compile(
            "^(autofs|binfmt_misc|bpf|cgroup2?|configfs|debugfs|devpts|devtmpfs|fusectl|hugetlbfs|iso9660|mqueue|nsfs|overlay"
                    + "|proc|procfs|pstore|rpc_pipefs|securityfs|selinuxfs|squashfs|sysfs|tracefs|nfs4?|cifs|smb3|fuse\\.sshfs)$");
    static final Pattern IGNORED_MOUNTS = Pattern.compile(
            "^/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+|var/lib/containers/storage/.+|mnt/sandboxing/.+)($|/)");

    private final ProcFiles proc;

    public FilesystemCollector(ProcFiles proc) {
        this.proc = proc;
    }

    @Override
    public String name() {
        return "filesystem";
    }

    @Override
    public void collect(long nowMillis, Consumer<MetricPoint> out) throws IOException {
        Set<String> seen = new HashSet<>();
        for (String line : proc.lines("/proc/self/mounts")) {
            String[] f = line.split(" ");
            if (f.length < 3) {
                continue;
            }
            String device = unescape(f[0]);
            String mount = unescape(f[1]);
            String type = f[2];
            if (IGNORED_TYPES.matcher(type).matches() || IGNORED_MOUNTS.matcher(mount).find() || !seen.add(mount)) {
                continue;
            }
            Statvfs.Result fs;
            try {
                fs = Statvfs.of(proc.resolve(mount).toString());
            } catch (IOException e) {
                continue; // unmounted since we read the table, or not readable by this account
            }
            if (fs.blocks() == 0) {
                continue;
            }
            Map<String, String> labels = Map.of("mount", mount, "device", device, "fstype", type);
            out.accept(MetricPoint.of("filesystem_size_bytes", labels, fs.sizeBytes()));
            out.accept(MetricPoint.of("filesystem_free_bytes", labels, fs.availableBytes()));
            double usable = fs.sizeBytes() - fs.freeBytes() + fs.availableBytes();
            out.accept(MetricPoint.of("filesystem_used_percent", labels, 100.0 * (fs.sizeBytes() - fs.freeBytes()) / usable));
            if (fs.files() > 0) {
                out.accept(MetricPoint.of("filesystem_inodes_total", labels, fs.files()));
                out.accept(MetricPoint.of("filesystem_inodes_free", labels, fs.filesFree()));
                out.accept(MetricPoint.of("filesystem_inodes_used_percent", labels, 100.0 * (fs.files() - fs.filesFree()) / fs.files()));
            }
        }
    }

    /** The mount table escapes space, tab, newline and backslash as octal ({@code \040}). */
    static String unescape(String field) {
        if (field.indexOf('\\') < 0) {
            return field;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length()) {
                try {
                    out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                    i += 3;
                    continue;
                } catch (NumberFormatException e) {
                    // not an octal escape: keep the backslash
                }
            }
            out.append(c);
        }
        return out.toString();
    }
}
