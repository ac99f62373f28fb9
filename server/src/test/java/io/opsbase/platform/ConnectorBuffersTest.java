package io.opsbase.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.apache.catalina.connector.Connector;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.servlet.context.ServletWebServerApplicationContext;

import io.opsbase.platform.ConnectorBuffers.BufferSizedHttp11Protocol;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ConnectorBuffersTest {

    @LocalServerPort
    int port;

    @Autowired
    ServletWebServerApplicationContext context;

    @Test
    void theConnectorUsesSmallResponseAndSocketReadBuffersButKeepsTheHeaderLimit() {
        Connector connector = ((TomcatWebServer) context.getWebServer()).getTomcat().getConnector();
        assertThat(connector.getProtocolHandler()).isInstanceOf(BufferSizedHttp11Protocol.class);
        var protocol = (BufferSizedHttp11Protocol) connector.getProtocolHandler();
        assertThat(protocol.getDesiredBufferSize()).isEqualTo(2048);
        assertThat(connector.getProperty("socket.appReadBufSize")).hasToString("4096");
        assertThat(connector.getProperty("socket.appWriteBufSize")).hasToString("8192");
        assertThat(protocol.getMaxHttpRequestHeaderSize()).isEqualTo(8192);
    }

    @Test
    void servesABodyLargerThanTheResponseBufferWholeToARequestWithCookies() throws Exception {
        byte[] css;
        try (var in = getClass().getResourceAsStream("/static/css/app.css")) {
            css = in.readAllBytes();
        }
        var response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/css/app.css"))
                        // a browser's request headers with a session and a few other cookies: ~6 KB
                        .header("Cookie", "JSESSIONID=" + "a".repeat(32) + "; other=" + "b".repeat(6000)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(css.length).isGreaterThan(3 * 2048);
        assertThat(response.body()).isEqualTo(css);
    }
}
