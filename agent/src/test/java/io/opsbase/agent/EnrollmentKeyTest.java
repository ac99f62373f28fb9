package io.opsbase.agent;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.security.KeyPairGenerator;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import io.opsbase.protocol.signing.Ed25519Keys;

class EnrollmentKeyTest {

    @Test
    void acceptsEveryEd25519KeyTheJdkEncodes() {
        for (int i = 0; i < 20; i++) {
            var key = Ed25519Keys.encode(Ed25519Keys.generate().getPublic());
            assertThatCode(() -> Enrollment.requireEd25519Key(key)).doesNotThrowAnyException();
        }
    }

    @Test
    void refusesAnythingElse() throws Exception {
        var ed448 = Base64.getEncoder().encodeToString(KeyPairGenerator.getInstance("Ed448").generateKeyPair().getPublic().getEncoded());
        var x25519 = Base64.getEncoder().encodeToString(KeyPairGenerator.getInstance("X25519").generateKeyPair().getPublic().getEncoded());
        var truncated = Ed25519Keys.encode(Ed25519Keys.generate().getPublic()).substring(0, 40);
        for (var key : new String[] {ed448, x25519, truncated, "not base64!", ""}) {
            assertThatThrownBy(() -> Enrollment.requireEd25519Key(key)).as(key).isInstanceOf(IOException.class);
        }
    }
}
