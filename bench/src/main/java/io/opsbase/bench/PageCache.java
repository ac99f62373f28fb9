package io.opsbase.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Drops a directory's files from the OS page cache, so a "cold" query reads from the disk.
 * {@code /proc/sys/vm/drop_caches} is not writable on the benchmark machine (a container), so
 * each file is evicted on its own with GNU dd's {@code iflag=nocache count=0}, which calls
 * {@code posix_fadvise(POSIX_FADV_DONTNEED)} on the whole file. {@code fincore} (util-linux)
 * then reports how many bytes are still resident, so the benchmark prints whether it worked.
 */
final class PageCache {

    private PageCache() {
    }

    /** Evicts every regular file under {@code dir}; returns the bytes still resident afterwards, or -1 if unknown. */
    static long evict(Path dir) throws IOException, InterruptedException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        for (Path file : files) {
            run(List.of("dd", "if=" + file, "iflag=nocache", "count=0", "status=none"));
        }
        long resident = 0;
        for (int i = 0; i < files.size(); i += 200) {
            List<String> command = new java.util.ArrayList<>(List.of("fincore", "--bytes", "--noheadings", "--output", "RES"));
            files.subList(i, Math.min(files.size(), i + 200)).forEach(f -> command.add(f.toString()));
            String out = run(command);
            if (out == null) {
                return -1;
            }
            for (String line : out.split("\n")) {
                if (!line.isBlank()) {
                    resident += Long.parseLong(line.trim());
                }
            }
        }
        return resident;
    }

    /** Runs a command; its standard output, or null if it failed or is not installed. */
    private static String run(List<String> command) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
            String out = new String(p.getInputStream().readAllBytes());
            return p.waitFor() == 0 ? out : null;
        } catch (IOException notInstalled) {
            return null;
        }
    }
}
