package io.opsbase.files;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/** Raw-body HTTP uploads and downloads for the file store tests, and generated file content. */
final class FileTransfers {

    private final HttpClient http = HttpClient.newHttpClient();
    private final int port;

    FileTransfers(int port) {
        this.port = port;
    }

    HttpResponse<byte[]> send(String method, String path, HttpRequest.BodyPublisher body, Map<String, String> headers)
            throws IOException, InterruptedException {
        var b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).method(method, body);
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<byte[]> upload(String path, byte[] content, Map<String, String> headers) throws Exception {
        return send("POST", path, HttpRequest.BodyPublishers.ofByteArray(content), headers);
    }

    /** The same body without a Content-Length: sent chunked. */
    HttpResponse<byte[]> uploadChunked(String path, byte[] content, Map<String, String> headers) throws Exception {
        return send("POST", path, HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(content)),
                headers);
    }

    HttpResponse<byte[]> get(String path, Map<String, String> headers) throws Exception {
        return send("GET", path, HttpRequest.BodyPublishers.noBody(), headers);
    }

    /** Downloads without holding the body, and returns the SHA-256 of what arrived (after checking 200). */
    String downloadSha256(String path, Map<String, String> headers) throws Exception {
        var b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET();
        headers.forEach(b::header);
        var r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() != 200) {
            throw new AssertionError("download answered " + r.statusCode());
        }
        var digest = digest();
        try (InputStream in = r.body()) {
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) != -1) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Deterministic pseudo-random bytes, distinct per seed. */
    static byte[] content(int size, long seed) {
        var bytes = new byte[size];
        new java.util.Random(seed).nextBytes(bytes);
        return bytes;
    }

    static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * {@code size} bytes generated on the fly from a repeating 1 MiB pattern (varied per block so
     * no two blocks are equal), without ever holding more than the pattern; also hashes what it
     * hands out, so the caller learns the expected digest after reading it.
     */
    static final class GeneratedStream extends InputStream {
        private final long size;
        private final byte[] pattern = content(1 << 20, 7);
        private final MessageDigest digest = digest();
        private long position;

        GeneratedStream(long size) {
            this.size = size;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position >= size) {
                return -1;
            }
            int offset = (int) (position % pattern.length);
            int n = (int) Math.min(Math.min(len, pattern.length - offset), size - position);
            System.arraycopy(pattern, offset, b, off, n);
            if (offset == 0) {
                b[off] = (byte) (position / pattern.length); // vary each block's first byte
            }
            digest.update(b, off, n);
            position += n;
            return n;
        }

        String sha256() {
            return HexFormat.of().formatHex(digest.digest());
        }
    }
}
