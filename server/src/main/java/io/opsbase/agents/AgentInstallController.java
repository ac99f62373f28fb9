package io.opsbase.agents;

import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import io.opsbase.platform.NotFoundException;

/**
 * The agent installer, open to any host that can reach the server (it contains no secrets: the
 * enrollment token is given on the command line): {@code GET /install/agent.sh}, the agent jar
 * with its SHA-256, the launcher and its JVM options, the systemd unit and tmpfiles rule. The files are bundled into the server jar
 * at build time; see {@code docs/agent.md}.
 */
@RestController
class AgentInstallController {

    private static final Map<String, MediaType> FILES = Map.of(
            "agent.sh", MediaType.parseMediaType("text/x-shellscript; charset=UTF-8"),
            "opsbase-agent.jar", MediaType.parseMediaType("application/java-archive"),
            "opsbase-agent", MediaType.parseMediaType("text/x-shellscript; charset=UTF-8"),
            "opsbase-agent.jvmopts", MediaType.TEXT_PLAIN,
            "opsbase-agent.service", MediaType.TEXT_PLAIN,
            "opsbase-agent.tmpfiles", MediaType.TEXT_PLAIN);

    private final Map<String, String> sha256 = new ConcurrentHashMap<>();

    @GetMapping("/install/{file:.+}")
    ResponseEntity<Resource> file(@PathVariable String file) throws IOException {
        try {
            return serve(file);
        } catch (NotFoundException e) {
            // Fetched by curl in a shell script: a plain-text 404 that says what is missing.
            return ResponseEntity.status(HttpStatus.NOT_FOUND).contentType(MediaType.TEXT_PLAIN)
                    .body(new org.springframework.core.io.ByteArrayResource(
                            (e.getMessage() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
    }

    private ResponseEntity<Resource> serve(String file) {
        if (file.equals("opsbase-agent.jar.sha256")) {
            Resource jar = bundled("opsbase-agent.jar");
            String digest = sha256.computeIfAbsent("opsbase-agent.jar", k -> digest(jar));
            return ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN).cacheControl(CacheControl.noCache())
                    .body(new org.springframework.core.io.ByteArrayResource(
                            (digest + "  opsbase-agent.jar\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        }
        MediaType type = FILES.get(file);
        if (type == null) {
            throw new NotFoundException("Installer file", file);
        }
        Resource resource = bundled(file.equals("agent.sh") ? "install-agent.sh" : file);
        return ResponseEntity.status(HttpStatus.OK).contentType(type).cacheControl(CacheControl.noCache()).body(resource);
    }

    private static Resource bundled(String name) {
        Resource r = new ClassPathResource("install/" + name);
        if (!r.exists()) {
            throw new NotFoundException("Installer file", name + " (this server build does not bundle it; build with ./mvnw package at the repository root)");
        }
        return r;
    }

    private static String digest(Resource resource) {
        try (InputStream in = new DigestInputStream(resource.getInputStream(), MessageDigest.getInstance("SHA-256"))) {
            DigestInputStream d = (DigestInputStream) in;
            d.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(d.getMessageDigest().digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot hash the bundled agent jar", e);
        }
    }
}
