package io.opsbase.agents.internal;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Base64;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import io.opsbase.platform.SecretCipher;

/**
 * The server's Ed25519 key pair for signing tasks. Created on first use and kept in the database
 * (private half sealed by {@link SecretCipher}) so every node of a cluster signs with the same key
 * and agents pinned to it at enrollment keep trusting the server after a restart.
 * Thread-safe: the pair is loaded once and then only read.
 */
@Component
public class ServerKeys {

    private final JdbcClient jdbc;
    private final SecretCipher cipher;
    private final Clock clock;
    private final TransactionTemplate tx;
    private volatile KeyPair pair;

    ServerKeys(JdbcClient jdbc, SecretCipher cipher, Clock clock, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.cipher = cipher;
        this.clock = clock;
        this.tx = tx;
    }

    public PublicKey publicKey() {
        return pair().getPublic();
    }

    public PrivateKey privateKey() {
        return pair().getPrivate();
    }

    /** Base64 of the X.509 SubjectPublicKeyInfo encoding, as sent to agents. */
    public String publicKeyBase64() {
        return Base64.getEncoder().encodeToString(publicKey().getEncoded());
    }

    private KeyPair pair() {
        KeyPair p = pair;
        if (p == null) {
            synchronized (this) {
                if (pair == null) {
                    pair = tx.execute(s -> loadOrCreate());
                }
                p = pair;
            }
        }
        return p;
    }

    private KeyPair loadOrCreate() {
        var row = jdbc.sql("select public_key, private_key from server_keys where algorithm = 'Ed25519' order by id limit 1")
                .query((rs, n) -> new String[] {rs.getString(1), rs.getString(2)}).optional();
        try {
            KeyFactory kf = KeyFactory.getInstance("Ed25519");
            if (row.isPresent()) {
                PublicKey pub = kf.generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(row.get()[0])));
                PrivateKey priv = kf.generatePrivate(new PKCS8EncodedKeySpec(
                        Base64.getDecoder().decode(cipher.decrypt(row.get()[1]))));
                return new KeyPair(pub, priv);
            }
            KeyPair created = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            jdbc.sql("insert into server_keys (algorithm, public_key, private_key, created_at) values ('Ed25519', :pub, :priv, :now)")
                    .param("pub", Base64.getEncoder().encodeToString(created.getPublic().getEncoded()))
                    .param("priv", cipher.encrypt(Base64.getEncoder().encodeToString(created.getPrivate().getEncoded())))
                    .param("now", Timestamp.from(clock.instant()))
                    .update();
            // Two nodes racing on an empty table both insert; everyone uses the lowest id.
            return loadOrCreate();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is part of every JDK since 15", e);
        }
    }
}
