package io.opsbase.jobs.internal;

import java.util.Optional;

import org.springframework.stereotype.Component;

import io.opsbase.files.FileStore;
import io.opsbase.files.StoredFile;

/** Whether the file store holds a file a job step names, through the files feature's facade. */
@Component
public class StoredFiles {

    private final FileStore files;

    StoredFiles(FileStore files) {
        this.files = files;
    }

    /** The stored size of the file with this SHA-256, empty when the store does not hold it. */
    public Optional<Long> size(String sha256) {
        return files.find(sha256).map(StoredFile::size);
    }
}
