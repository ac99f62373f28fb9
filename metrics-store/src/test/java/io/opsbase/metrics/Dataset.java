package io.opsbase.metrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The shared real recording, found by walking up from the module directory; missing is a failure, not a skip. */
final class Dataset {

    static final String NAME = "node-2core-45min-a.csv.gz";
    private static Map<SeriesKey, Samples> cached;

    private Dataset() {
    }

    static Path path() {
        Path dir = Path.of(System.getProperty("opsbase.basedir", ".")).toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared").resolve("datasets").resolve(NAME);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("dataset " + NAME + " not found in shared/datasets above " + dir);
    }

    static synchronized Map<SeriesKey, Samples> samples() {
        if (cached == null) {
            try {
                cached = CsvRecording.read(path());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return cached;
    }
}
