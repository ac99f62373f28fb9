package io.opsbase.bench.agents;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.opsbase.protocol.AgentEndpoints;
import io.opsbase.protocol.EnrollRequest;
import io.opsbase.protocol.EnrollResponse;
import io.opsbase.protocol.HostFingerprint;
import io.opsbase.protocol.ProtocolJson;
import io.opsbase.protocol.ProtocolVersion;
import io.opsbase.protocol.signing.RequestSigner;

/**
 * {@code file-fanout}: one file to many agents at once. Starts the server jar as a child process
 * (fresh data directory), uploads a generated file of {@code --size-mb} MiB through
 * {@code POST /api/v1/files}, enrolls {@code --agents} simulated agents, then lets all of them
 * download it at the same moment with signed {@code GET /api/v1/agent/files/<sha256>} requests over
 * loopback. Each agent hashes every byte it receives and the run fails unless every digest matches.
 * Reports the server's send rate (all bytes delivered / wall time from the start gate to the last
 * byte), the per-agent times, the server's CPU time during the fan-out, and the load average.
 *
 * <p>The agents speak HTTP/1.1 over plain blocking sockets (one connection each, as real agents
 * have) so the client side costs little more than the hashing it must do; with
 * {@code --no-verify} they skip the hash, to show what the hashing on this same machine costs.
 */
public final class FileFanout {

    private FileFanout() {
    }

    public static void main(String[] args) throws Exception {
        int agents = Integer.parseInt(option(args, "--agents", "100"));
        int sizeMb = Integer.parseInt(option(args, "--size-mb", "100"));
        int rounds = Integer.parseInt(option(args, "--rounds", "3"));
        boolean verify = !List.of(args).contains("--no-verify");
        Path jar = Path.of(option(args, "--server-jar", "server/target/opsbase-server.jar"));
        Path dataDir = Path.of(option(args, "--data-dir", Files.createTempDirectory("opsbase-fanout-").toString()));
        String heap = option(args, "--server-heap", "1g");

        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        System.out.printf("file-fanout: %d agents, %d MiB, %d round(s), verify=%s, server heap %s, %d cores, load %s%n",
                agents, sizeMb, rounds, verify, heap, Runtime.getRuntime().availableProcessors(), ProcessStats.loadAverage());
        try (var server = ServerUnderTest.start(jar, dataDir, List.of("-Xmx" + heap), List.of(), http)) {
            var admin = AdminApi.login(http, server.base(), "admin", server.adminPassword().orElseThrow());
            Path file = generate(dataDir.resolve("fanout.bin"), (long) sizeMb << 20);
            String sha = upload(http, server.base(), adminToken(http, server), file);
            Files.delete(file);
            List<RequestSigner> signers = enroll(http, server.base(), admin.autoApprovingEnrollmentToken(agents), agents);
            for (int round = 1; round <= rounds; round++) {
                fanOut(server, signers, sha, (long) sizeMb << 20, verify, round);
            }
        }
    }

    private static void fanOut(ServerUnderTest server, List<RequestSigner> signers, String sha, long size, boolean verify,
            int round) throws Exception {
        var gate = new CountDownLatch(1);
        var results = new ArrayList<Future<Long>>();
        var resumes = new java.util.concurrent.atomic.AtomicInteger();
        double cpuBefore = server.stats().orElseThrow().cpuSeconds();
        long start;
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (RequestSigner signer : signers) {
                results.add(threads.submit(() -> {
                    gate.await();
                    long begin = System.nanoTime();
                    resumes.addAndGet(download(server.base(), signer, sha, size, verify));
                    return System.nanoTime() - begin;
                }));
            }
            start = System.nanoTime();
            gate.countDown();
            for (Future<Long> f : results) {
                f.get();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpu = server.stats().orElseThrow().cpuSeconds() - cpuBefore;
        List<Long> each = results.stream().map(FileFanout::value).sorted().toList();
        double bytes = (double) size * signers.size();
        System.out.printf("round %d: %d x %d MiB delivered%s in %.2f s = %.2f GB/s (%.2f GiB/s) from the server; "
                        + "per agent p50 %.2f s, max %.2f s; %d resumed download(s); server CPU %.1f s (%.0f %% of one core); load %s%n",
                round, signers.size(), size >> 20, verify ? " and verified" : "", seconds, bytes / seconds / 1e9,
                bytes / seconds / (1L << 30), each.get(each.size() / 2) / 1e9, each.getLast() / 1e9, resumes.get(), cpu,
                100 * cpu / seconds, ProcessStats.loadAverage());
    }

    /**
     * One agent's signed download over its own connection, resumed with {@code Range} and
     * {@code If-Range} when the connection ends early (as the real agent does; Tomcat drops a
     * connection whose client has not read for its 20 s write timeout, which an overloaded
     * machine can cause). Throws unless size and SHA-256 match; returns how many resumes it took.
     */
    static int download(URI base, RequestSigner signer, String sha, long size, boolean verify) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        long received = 0;
        int resumes = -1;
        while (received < size) {
            if (++resumes > 20) {
                throw new IOException("gave up after 20 resumes at " + received + " of " + size + " bytes");
            }
            received = fetchFrom(base, signer, sha, received, verify ? digest : null);
        }
        if (received != size) {
            throw new IOException("received " + received + " bytes of " + size);
        }
        if (verify && !HexFormat.of().formatHex(digest.digest()).equals(sha)) {
            throw new IOException("the received bytes do not hash to " + sha);
        }
        return resumes;
    }

    /** Requests the file from byte {@code offset} on; returns the offset reached when the connection ended. */
    private static long fetchFrom(URI base, RequestSigner signer, String sha, long offset, MessageDigest digest)
            throws IOException {
        String path = AgentEndpoints.file(sha);
        var request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                + "\r\nUser-Agent: " + AgentTransport.USER_AGENT + "\r\nConnection: close\r\n");
        if (offset > 0) {
            request.append("Range: bytes=").append(offset).append("-\r\nIf-Range: \"").append(sha).append("\"\r\n");
        }
        signer.sign("GET", path, new byte[0]).asMap().forEach((k, v) -> request.append(k).append(": ").append(v).append("\r\n"));
        request.append("\r\n");
        long position = offset;
        try (var socket = new Socket()) {
            socket.setReceiveBufferSize(4 << 20);
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()));
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[1 << 20];
            int filled = 0;
            int headerEnd = -1;
            while (headerEnd < 0) {
                int n = in.read(buffer, filled, buffer.length - filled);
                if (n < 0) {
                    throw new IOException("the server closed the connection before the headers ended");
                }
                filled += n;
                headerEnd = indexOf(buffer, filled, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            String head = new String(buffer, 0, headerEnd, StandardCharsets.US_ASCII);
            if (!head.startsWith(offset == 0 ? "HTTP/1.1 200" : "HTTP/1.1 206")) {
                throw new IOException("download answered " + head.lines().findFirst().orElse(head));
            }
            int first = filled - (headerEnd + 4);
            if (digest != null) {
                digest.update(buffer, headerEnd + 4, first);
            }
            position += first;
            int n;
            while ((n = in.read(buffer)) != -1) {
                position += n;
                if (digest != null) {
                    digest.update(buffer, 0, n);
                }
            }
        } catch (java.net.SocketException e) {
            // connection reset mid-body: resume from what arrived
        }
        return position;
    }

    private static int indexOf(byte[] haystack, int length, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static Path generate(Path file, long size) throws IOException {
        byte[] block = new byte[1 << 20];
        var random = new Random(42);
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long written = 0; written < size; written += block.length) {
                random.nextBytes(block);
                out.write(block, 0, (int) Math.min(block.length, size - written));
            }
        }
        return file;
    }

    private static String adminToken(HttpClient http, ServerUnderTest server) throws IOException, InterruptedException {
        String basic = Base64.getEncoder().encodeToString(("admin:" + server.adminPassword().orElseThrow())
                .getBytes(StandardCharsets.UTF_8));
        var r = http.send(HttpRequest.newBuilder(server.base().resolve("/api/v1/tokens")).header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"file-fanout\", \"expiresIn\": \"P1D\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("login failed: " + r.statusCode() + " " + r.body());
        }
        return ProtocolJson.mapper().readTree(r.body()).get("token").asString();
    }

    private static String upload(HttpClient http, URI base, String token, Path file) throws IOException, InterruptedException {
        long begin = System.nanoTime();
        var r = http.send(HttpRequest.newBuilder(base.resolve("/api/v1/files?name=fanout.bin"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofFile(file)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("upload answered " + r.statusCode() + ": " + r.body());
        }
        double seconds = (System.nanoTime() - begin) / 1e9;
        System.out.printf("uploaded %d MiB in %.2f s (%.0f MiB/s, streamed to disk and hashed by the server)%n",
                Files.size(file) >> 20, seconds, (Files.size(file) >> 20) / seconds);
        return ProtocolJson.mapper().readTree(r.body()).get("sha256").asString();
    }

    private static List<RequestSigner> enroll(HttpClient http, URI base, String token, int agents) throws Exception {
        var signers = new ArrayList<RequestSigner>();
        for (int i = 0; i < agents; i++) {
            var request = new EnrollRequest(token, new HostFingerprint("fanout-" + i + "-" + System.nanoTime(), null, null, null,
                    List.of(String.format("02:00:00:00:%02x:%02x", i >> 8 & 0xff, i & 0xff)), "fanout-" + i),
                    "0.1.0-sim", ProtocolVersion.CURRENT);
            var r = http.send(HttpRequest.newBuilder(base.resolve(AgentEndpoints.ENROLL)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(ProtocolJson.write(request))).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 201) {
                throw new IllegalStateException("enrollment answered " + r.statusCode());
            }
            var enrolled = ProtocolJson.read(r.body(), EnrollResponse.class);
            signers.add(new RequestSigner(enrolled.agentId(), Base64.getDecoder().decode(enrolled.secret()), Clock.systemUTC()));
        }
        return signers;
    }

    private static long value(Future<Long> f) {
        try {
            return f.get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String option(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
