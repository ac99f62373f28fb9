package io.opsbase.platform;

import org.apache.coyote.http11.Http11NioProtocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

/**
 * Sizes Tomcat's per-request buffers for a server whose requests are mostly agents' held
 * long-polls. Every held poll keeps its connection's processor with all of its buffers for up to
 * 30 s, so with thousands of agents these buffers are most of the live heap (docs/benchmarks.md,
 * "Heap per held long-poll"). Two of them are sized here:
 *
 * <ul>
 * <li>The servlet response buffer ({@code opsbase.http.response-buffer-size}, default 2 KB;
 * Tomcat's is 8 KB): Tomcat allocates it as a byte buffer <em>and</em> a char buffer of that many
 * chars (3 bytes of heap per unit) for every request, and only lets a servlet grow it. Agent answers
 * are a few hundred bytes; a larger body (a page, a download) is written out as it fills the buffer,
 * so a page over 2 KB is sent chunked rather than with a Content-Length. Spring sets the length of
 * byte-array bodies itself.
 * <li>The socket's application read buffer ({@code opsbase.http.socket-read-buffer-size}, default
 * 4 KB; Tomcat's {@code socket.appReadBufSize} is 8 KB). It is allocated twice per connection (the
 * socket's own buffer, and again added to the request-header buffer). It is not the request-header
 * limit — that stays {@code server.max-http-request-header-size} (8 KB), so a browser's headers
 * with cookies fit as before — and request bodies are read straight into the larger header+read
 * buffer, in slices of up to 12 KB instead of 16 KB.
 * <li>The socket's application write buffer ({@code opsbase.http.socket-write-buffer-size}, default
 * Tomcat's 8 KB of {@code socket.appWriteBufSize}): 4 KB would save 4 KB more per poll, but both
 * agent-load runs with it had more client poll timeouts (232 and 43) than the four without (0–15),
 * a difference not explained yet, so it stays at 8 KB until that is settled.
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
class ConnectorBuffers {

    private static final Logger log = LoggerFactory.getLogger(ConnectorBuffers.class);
    private static final int MIN_BYTES = 512;

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> bufferSizedProtocol() {
        return factory -> factory.setProtocol(BufferSizedHttp11Protocol.class.getName());
    }

    @Bean
    TomcatConnectorCustomizer connectorBufferSizes(
            @Value("${opsbase.http.response-buffer-size:2KB}") DataSize responseBuffer,
            @Value("${opsbase.http.socket-read-buffer-size:4KB}") DataSize socketReadBuffer,
            @Value("${opsbase.http.socket-write-buffer-size:8KB}") DataSize socketWriteBuffer) {
        int response = checked("opsbase.http.response-buffer-size", responseBuffer);
        int read = checked("opsbase.http.socket-read-buffer-size", socketReadBuffer);
        int write = checked("opsbase.http.socket-write-buffer-size", socketWriteBuffer);
        return connector -> {
            if (connector.getProtocolHandler() instanceof BufferSizedHttp11Protocol protocol) {
                protocol.setResponseBufferSize(response);
                protocol.setSocketBufferSizes(read, write);
                log.info("HTTP connector on port {}: response buffer {} bytes, socket buffers {} bytes read, {} bytes write",
                        connector.getPort(), response, read, write);
            }
        };
    }

    private static int checked(String name, DataSize size) {
        if (size.toBytes() < MIN_BYTES || size.toBytes() > 1024 * 1024) {
            throw new IllegalArgumentException(name + " must be between " + MIN_BYTES + " bytes and 1MB, not " + size);
        }
        return (int) size.toBytes();
    }

    /**
     * Tomcat's NIO HTTP/1.1 protocol with the servlet response buffer size of
     * {@link #setResponseBufferSize} (Tomcat asks its protocol for it when it creates a
     * connection's response; the stock protocol answers "no preference", which means 8 KB).
     * Public with a no-argument constructor: Tomcat instantiates the protocol by class name.
     */
    public static class BufferSizedHttp11Protocol extends Http11NioProtocol {

        private volatile int responseBufferSize = -1;

        public void setResponseBufferSize(int bytes) {
            this.responseBufferSize = bytes;
        }

        void setSocketBufferSizes(int readBytes, int writeBytes) {
            getEndpoint().getSocketProperties().setAppReadBufSize(readBytes);
            getEndpoint().getSocketProperties().setAppWriteBufSize(writeBytes);
        }

        @Override
        public int getDesiredBufferSize() {
            return responseBufferSize;
        }
    }
}
