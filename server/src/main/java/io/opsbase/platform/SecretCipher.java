package io.opsbase.platform;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Encrypts secrets that the server must read back (agent HMAC secrets, the server's signing key,
 * job secrets) with AES-256-GCM under one master key. Passwords and tokens are hashed instead and
 * never pass here.
 *
 * <p>The master key comes from {@code opsbase.master-key} (base64 of 32 bytes; set it on every
 * node of a cluster) or, when unset, from {@code DATA_DIR/keys/master.key}, created owner-only on
 * the first start. Ciphertext format: {@code v1:} + base64(12-byte nonce ‖ ciphertext ‖ 16-byte tag).
 * Thread-safe: a new {@link Cipher} per call.
 */
@Component
public class SecretCipher {

    private static final Logger log = LoggerFactory.getLogger(SecretCipher.class);
    private static final String PREFIX = "v1:";
    private static final int NONCE_BYTES = 12;

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    SecretCipher(OpsbaseProperties properties, @Value("${opsbase.master-key:}") String configuredKey) {
        this.key = new SecretKeySpec(loadKey(properties.dataDir(), configuredKey), "AES");
    }

    public String encrypt(String plaintext) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return PREFIX + Base64.getEncoder().encodeToString(
                    ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
    }

    public String decrypt(String stored) {
        if (stored == null || !stored.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not a value sealed by this server");
        }
        try {
            byte[] all = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, all, 0, NONCE_BYTES));
            return new String(cipher.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a stored secret does not decrypt: wrong opsbase.master-key?", e);
        }
    }

    private static byte[] loadKey(Path dataDir, String configured) {
        if (configured != null && !configured.isBlank()) {
            byte[] k = Base64.getDecoder().decode(configured.strip());
            if (k.length != 32) {
                throw new IllegalStateException("opsbase.master-key must be base64 of exactly 32 bytes");
            }
            return k;
        }
        Path file = dataDir.resolve("keys").resolve("master.key");
        try {
            if (Files.exists(file)) {
                byte[] k = Base64.getDecoder().decode(Files.readString(file).strip());
                if (k.length != 32) {
                    throw new IllegalStateException(file + " does not hold a 32-byte base64 key");
                }
                return k;
            }
            Files.createDirectories(file.getParent());
            byte[] k = new byte[32];
            new SecureRandom().nextBytes(k);
            Path tmp = file.resolveSibling("master.key.tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, Base64.getEncoder().encodeToString(k), StandardOpenOption.WRITE);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            log.info("Created the master key for secrets at rest: {} (back it up with the database)", file);
            return k;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read or create the master key " + file + ": " + e.getMessage(), e);
        }
    }
}
