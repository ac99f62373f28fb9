package io.opsbase.agent.tasks.files;

import java.io.IOException;
import java.nio.file.Files;

import io.opsbase.agent.json.Json;
import io.opsbase.agent.json.Messages;
import io.opsbase.agent.tasks.TaskEnd;
import io.opsbase.agent.tasks.TaskHandler;
import io.opsbase.agent.tasks.TaskOutput;
import io.opsbase.agent.transport.ServerClient;
import io.opsbase.agent.transport.ServerRejection;
import io.opsbase.protocol.Task;

/**
 * Runs {@link Task#FILE_UPLOAD}: streams a local file ({@code path}, absolute, a regular file) to
 * the server's file store with a signature over its SHA-256, so one host's file can go to others.
 * The file is hashed first (the signature covers the hash), then sent; if it changed in between,
 * the server refuses the body. Standard output's last line is {@code sha256=<hex> size=<bytes>},
 * what the server stored it under.
 */
public final class FileUploadHandler implements TaskHandler {

    private final ServerClient client;

    public FileUploadHandler(ServerClient client) {
        this.client = client;
    }

    @Override
    public TaskEnd run(Task task, TaskOutput output) throws InterruptedException {
        java.nio.file.Path file;
        try {
            file = FileParameters.absolutePath(task.parameters().get("path"));
        } catch (IllegalArgumentException e) {
            return TaskEnd.failedToStart(e.getMessage());
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            return TaskEnd.failedToStart(file + " is not a readable regular file");
        }
        try {
            var size = Files.size(file);
            var sha256 = Digests.sha256(file);
            output.stdoutLine("uploading " + file + " (" + size + " bytes)");
            output.flush();
            var answer = client.upload(file.getFileName().toString(), file, sha256, size);
            var stored = storedSha256(answer);
            if (stored != null && !stored.equals(sha256)) {
                return TaskEnd.exited(1, "the server stored the upload as " + stored + ", but the file hashed to " + sha256);
            }
            output.stdoutLine("sha256=" + sha256 + " size=" + size);
            return TaskEnd.exited(0);
        } catch (ServerRejection e) {
            return TaskEnd.exited(1, "the server refused the upload: " + e.getMessage());
        } catch (IOException e) {
            return TaskEnd.exited(1, "cannot upload " + file + ": " + e.getMessage());
        }
    }

    /** The {@code sha256} member of the server's answer, or null when it has none. */
    private static String storedSha256(byte[] answer) {
        try {
            return answer.length == 0 ? null : Messages.text(Messages.object(Json.parse(answer)), "sha256");
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
