package io.opsbase.files;

import java.util.List;

/**
 * Implemented by a feature whose records point at stored files (for example job steps that
 * distribute a file). {@link FileStore#delete} asks every such bean and refuses with 409 while
 * any reports a reference, so a file a job still needs cannot vanish under it.
 */
@FunctionalInterface
public interface FileReferences {

    /** Short descriptions of what refers to the file ("job template 12"), empty when nothing does. */
    List<String> referencesTo(String sha256);
}
