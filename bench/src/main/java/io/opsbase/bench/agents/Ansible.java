package io.opsbase.bench.agents;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The same command on the same number of hosts through Debian's {@code ansible}: an inventory of
 * {@code hosts} names, every one {@code ansible_connection=local} (so each "host" is this machine,
 * as each simulated agent is), {@code ansible all -i INV -m command -a CMD -f FORKS}. Fact gathering
 * does not apply to ad-hoc commands; no SSH is involved. Timed from start to exit, per round.
 */
final class Ansible {

    private Ansible() {
    }

    static void compare(int hosts, String command, int forks, int rounds) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("opsbase-ansible-");
        Path inventory = dir.resolve("inventory.ini");
        var lines = new ArrayList<String>();
        lines.add("[sim]");
        for (int i = 0; i < hosts; i++) {
            lines.add("host%03d ansible_connection=local ansible_python_interpreter=/usr/bin/python3".formatted(i));
        }
        Files.write(inventory, lines);
        String version = run(List.of("ansible", "--version"), dir).lines().findFirst().orElse("?");
        System.out.printf("%nansible (%s): %d hosts with ansible_connection=local, -f %d, '%s'%n", version, hosts, forks, command);
        for (int round = 1; round <= rounds; round++) {
            double cpuBefore = childrenCpu();
            long t0 = System.nanoTime();
            String out = run(List.of("ansible", "all", "-i", inventory.toString(), "-m", "command", "-a", command, "-f",
                    Integer.toString(forks)), dir);
            double seconds = (System.nanoTime() - t0) / 1e9;
            long ok = out.lines().filter(l -> l.contains("| CHANGED | rc=0")).count();
            System.out.printf("  ansible round %d: %.2f s wall, %d of %d hosts rc=0, ansible CPU %.1f s; load average %s%n", round,
                    seconds, ok, hosts, childrenCpu() - cpuBefore, ProcessStats.loadAverage());
        }
    }

    private static String run(List<String> command, Path dir) throws IOException, InterruptedException {
        var pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("ANSIBLE_HOST_KEY_CHECKING", "False");
        pb.environment().put("ANSIBLE_NOCOLOR", "1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    /** CPU seconds of this process's waited-for children (/proc/self/stat cutime + cstime). */
    private static double childrenCpu() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[13]) + Long.parseLong(f[14])) / 100.0;
        } catch (IOException e) {
            return Double.NaN;
        }
    }
}
